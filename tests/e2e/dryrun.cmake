# The dry run end to end: the real binary on the samples and on broken files.
prospect_e2e_test(dryrun SOURCES ${CMAKE_CURRENT_LIST_DIR}/dryrun_test.cpp)
# How files users really have are read (exports, encodings, pipes): tests/data/exports/.
prospect_e2e_test(reading SOURCES ${CMAKE_CURRENT_LIST_DIR}/reading_test.cpp)
