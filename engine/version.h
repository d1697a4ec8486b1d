/* version: the program's version, reported by --version and in every output. */
#ifndef AVRRSIM_VERSION_H
#define AVRRSIM_VERSION_H

#define AVRRSIM_VERSION "0.1.0"

#endif
