// Boost.JSON compiled once for every test that parses JSON with it (the
// reference our escaper and the report are checked against).
#include <boost/json/src.hpp>
