/** Holding the JSON the commands and the run folder write to the schemas that ship with attnbench. */
package org.attnbench.schemas;
