// Boost.JSON compiled into the test (header-only mode): the reference the
// escaper is checked against.
#include <boost/json/src.hpp>
