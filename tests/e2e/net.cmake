# net: api_connection against the real prospect-sandbox over TLS on loopback.
prospect_e2e_test(net SOURCES ${CMAKE_CURRENT_LIST_DIR}/net_connection_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/net_idle_close_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/net_framing_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/net_hostile_test.cpp
  LIBS prospect_net prospect_sandbox_lib)
# The importer against hostile-server (its own file, included from here).
include(${CMAKE_CURRENT_LIST_DIR}/hostile.cmake)
