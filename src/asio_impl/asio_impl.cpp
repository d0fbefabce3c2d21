// The one translation unit that holds the compiled code of Asio, Asio.SSL
// and Beast; everything else includes their headers only.
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
