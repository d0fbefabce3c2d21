# One rate limit shared by several importers through Redis (issue 15): real
# importers at once, a real redis-server the test starts, a real sandbox.
prospect_e2e_test(shared_limit SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/shared_limit_test.cpp
  LIBS prospect_e2e_client)
