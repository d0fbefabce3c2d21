// Boost.JSON compiled into the sandbox's end-to-end tests (header-only
// mode): they read the introspection endpoints and the envelopes with it.
#include <boost/json/src.hpp>
