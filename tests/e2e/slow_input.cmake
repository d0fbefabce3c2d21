# Standard input from a slow producer (issue 11, item 12): the real importer
# reading a pipe that stalls longer than --timeout, against the real sandbox.
if(TARGET prospect-sandbox AND TARGET prospect-import)
  prospect_e2e_test(slow_input SOURCES ${CMAKE_CURRENT_LIST_DIR}/slow_input_test.cpp LIBS prospect_e2e_client)
endif()
