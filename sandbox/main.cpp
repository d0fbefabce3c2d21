// prospect-sandbox: everything lives in prospect_sandbox_lib, which the
// importer embeds too; see prospect/sandbox/program.hpp.
#include "prospect/sandbox/program.hpp"

int main(int argc, char** argv) {
    return prospect::sandbox::run_main(argc, argv);
}
