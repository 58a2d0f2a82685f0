/**
 * The text encoders in plain float64 Java, written from their definitions for clarity, one
 * sequence at a time: what the encoder graphs are checked against on every backend.
 */
package org.attnbench.text.reference;
