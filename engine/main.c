/* main: the one place where the engine meets the model it runs. */
#include "engine/cli.h"
#include "engine/yamltree.h"
#include "models/avrr.h"

int main(int argc, char **argv)
{
    int status = cli_main(argc, argv, &avrr_model);
    ytree_release_sources();
    return status;
}
