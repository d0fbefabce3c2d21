# --endpoint bulk end to end: the real prospect-import against a real
# prospect-sandbox serving the v2 add-users-to-list endpoint over TLS.
prospect_e2e_test(bulk SOURCES ${CMAKE_CURRENT_LIST_DIR}/bulk_test.cpp LIBS prospect_e2e_client)
