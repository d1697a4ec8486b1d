/* cli: avrrsim's command line (run, validate, keys, --help, --version). */
#ifndef AVRRSIM_CLI_H
#define AVRRSIM_CLI_H

#include "model.h"

/* Runs the command in argv for the given model; returns the exit status
 * (0 success, 1 runtime failure, 2 invalid input or usage). */
int cli_main(int argc, char **argv, const struct model_interface *model);

#endif
