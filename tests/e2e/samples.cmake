# The inbox sample (samples/cron/import-inbox) as cron runs it: three exports
# into one journal, files moved to done/ or failed/, against a real sandbox.
prospect_e2e_test(samples SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/samples_test.cpp
  LIBS prospect_e2e_client)
