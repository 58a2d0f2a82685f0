/**
 * Methods that cut the work inside a step: {@link org.attnbench.methods.token.Dense} (the network
 * as it is), {@link org.attnbench.methods.token.Todo} (keys and values downsampled, with its timestep
 * schedule) and {@link org.attnbench.methods.token.Tome} (token merging, and tome-kv). Each holds its
 * graph rewrite and beside it the float64 twin written from the definition: {@link
 * org.attnbench.methods.token.TodoDownsample} and {@link org.attnbench.methods.token.ReferenceDownsample},
 * {@link org.attnbench.methods.token.TokenMerge} and {@link
 * org.attnbench.methods.token.ReferenceTokenMerge}.
 */
package org.attnbench.methods.token;
