# Cron-grade runs: kill -9 and resume, the run lock, signals, re-exports,
# the journal's binding and compaction: real processes against a real sandbox.
prospect_e2e_test(cron SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/cron_test.cpp
  LIBS prospect_e2e_client)
