// The whole program behind main(): parse, run, map errors to exit statuses.
#pragma once

namespace prospect::app {

int main(int argc, const char* const* argv);

}  // namespace prospect::app
