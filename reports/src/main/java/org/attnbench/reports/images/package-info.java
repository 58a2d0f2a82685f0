/**
 * Pictures of what the cells produced, for the reader who wants to see an error rather than read
 * its MSE. Decoded images are shown as they are; token maps and latents, which have far more than
 * three channels, are shown through the reference's first three principal components as RGB, one
 * projection for every column ({@link org.attnbench.reports.images.PcaColours}). Below each
 * variant is its absolute difference from the reference on one colour scale for the row
 * ({@link org.attnbench.reports.images.HeatMap}).
 */
package org.attnbench.reports.images;
