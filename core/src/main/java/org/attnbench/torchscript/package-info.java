/**
 * TorchScript archives read without unpickling: the zip's entries and the TorchScript source of
 * its classes ({@link org.attnbench.torchscript.ScriptClass}), to which methods can be added so
 * that libtorch, which does read the pickle, hands back what attnbench asks for.
 */
package org.attnbench.torchscript;
