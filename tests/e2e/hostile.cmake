# hostile-server (tests/support/hostile_server.cpp): a TLS server that answers
# the API's requests the way one misbehaving server would, a mode a run; and
# the importer's end-to-end tests against it.
add_executable(hostile-server ${PROJECT_SOURCE_DIR}/tests/support/hostile_server.cpp)
target_link_libraries(hostile-server PRIVATE prospect_sandbox_lib boost_json_src)
prospect_e2e_test(hostile SOURCES ${CMAKE_CURRENT_LIST_DIR}/hostile_test.cpp LIBS prospect_e2e_client)
add_dependencies(e2e_hostile hostile-server)
target_compile_definitions(e2e_hostile PRIVATE PROSPECT_HOSTILE_BIN="$<TARGET_FILE:hostile-server>")
