# The fault matrix: combinations of server faults, every row accounted for.
prospect_e2e_test(faults SOURCES ${CMAKE_CURRENT_LIST_DIR}/fault_matrix_test.cpp
  LIBS prospect_e2e_client prospect_sandbox_lib)
