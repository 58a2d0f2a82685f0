/**
 * Input token maps for attention workloads: seeded Gaussian maps and maps projected from natural
 * photos, in [B][N][C] layout with N = h * w tokens in row-major grid order.
 */
package org.attnbench.models.inputs;
