/** Workloads as graphs: attention blocks with their variants (dense, ToDo, ToMe) and whole UNets. */
package org.attnbench.models;
