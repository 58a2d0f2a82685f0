/** Checks of the OCI image Jib builds: the tarball read back layer by layer, and its installed files run. */
package org.attnbench.image;
