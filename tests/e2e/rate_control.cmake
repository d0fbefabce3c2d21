# Rate control end to end: the importer following a limit that changes, stray
# 429s and Retry-After against a real sandbox (docs/rate_control.md).
prospect_e2e_test(rate_control SOURCES ${CMAKE_CURRENT_LIST_DIR}/rate_control_test.cpp
  LIBS prospect_e2e_client)
