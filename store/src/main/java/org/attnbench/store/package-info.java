/**
 * The results store: what a run writes and every later command reads. A run is one folder with
 * {@code manifest.json} (machine, versions, commit, config), one {@code row.json} per finished
 * cell under {@code cells/}, and the rows of all finished cells as {@code rows.jsonl} and
 * {@code rows.csv}. Every file is written whole and renamed into place, so a run killed at any
 * moment leaves only complete files behind.
 */
package org.attnbench.store;
