# Resource bounds: peak RSS of a 1,000,000-row import, memory under a slow
# server. Not under the sanitizers, whose shadow memory is what they would measure.
if(NOT PROSPECT_SANITIZE)
  prospect_e2e_test(resources SOURCES ${CMAKE_CURRENT_LIST_DIR}/resources_test.cpp LIBS prospect_e2e_client)
endif()
