/**
 * Sweep configs: the YAML schema (documented in configs/README.md), read into typed settings and
 * checked before anything runs. Every problem is reported at once, each on one line with the
 * file, line, column and the key's path ({@code workloads[0].attention.grids[1]}), and a
 * suggestion where one helps ("did you mean 'iterations'?").
 */
package org.attnbench.harness.config;
