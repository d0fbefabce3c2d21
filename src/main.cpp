// prospect-import: see docs/contract.md, or run it with --help.
#include "prospect/app/main.hpp"

int main(int argc, char** argv) { return prospect::app::main(argc, argv); }
