# prospect-sandbox: unit tests of its pure parts (they live beside it, in
# sandbox/tests) and end-to-end tests that run the binary over TLS.
set(sandbox_unit_dir ${PROJECT_SOURCE_DIR}/sandbox/tests)
prospect_unit_test(sandbox SOURCES
  ${sandbox_unit_dir}/address_test.cpp
  ${sandbox_unit_dir}/bulk_body_test.cpp
  ${sandbox_unit_dir}/bulk_handler_test.cpp
  ${sandbox_unit_dir}/certificates_test.cpp
  ${sandbox_unit_dir}/faults_test.cpp
  ${sandbox_unit_dir}/foreign_prospects_test.cpp
  ${sandbox_unit_dir}/http_response_test.cpp
  ${sandbox_unit_dir}/limit_body_test.cpp
  ${sandbox_unit_dir}/options_test.cpp
  ${sandbox_unit_dir}/prospect_body_test.cpp
  ${sandbox_unit_dir}/request_handler_test.cpp
  ${sandbox_unit_dir}/stats_test.cpp
  ${sandbox_unit_dir}/store_test.cpp
  ${sandbox_unit_dir}/store_log_test.cpp
  LIBS prospect_sandbox_lib prospect_lead OpenSSL::Crypto)

prospect_e2e_test(sandbox SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/sandbox_api_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sandbox_bulk_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sandbox_connection_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sandbox_faults_test.cpp
  LIBS prospect_e2e_client)
