# Off the paths the importer was built for (issue 11): hostile servers, pipes,
# a file that grows, a full disk, signals and two runs on one file, with the
# real binaries. The hostile-server cases need that target (hostile.cmake).
prospect_e2e_test(offpath SOURCES ${CMAKE_CURRENT_LIST_DIR}/offpath_test.cpp LIBS prospect_e2e_client)
add_dependencies(e2e_offpath hostile-server)
target_compile_definitions(e2e_offpath PRIVATE PROSPECT_HOSTILE_BIN="$<TARGET_FILE:hostile-server>")
