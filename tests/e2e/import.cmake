# The live import end to end: the real prospect-import against a real
# prospect-sandbox process over TLS on loopback.
prospect_e2e_test(import SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/import_test.cpp
  LIBS prospect_e2e_client)
