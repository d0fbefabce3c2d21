// Boost.JSON compiled into this test (header-only mode): the independent
// parser the request body is checked with.
#include <boost/json/src.hpp>
