# Installing and packaging: `cmake --install` puts both programs in bin, their
# man pages (help2man from --help, at build time) in share/man/man1, the
# samples under share/doc/prospect-import and the systemd units where systemd
# looks under the prefix; `cpack -G DEB` makes the Debian package a cron host
# installs. scripts/check_package (ctest label `package`) checks both.

# Sanitizer and fuzzing builds exist to run the tests; nothing installs them.
if(PROSPECT_SANITIZE OR PROSPECT_FUZZ)
  message(STATUS "cmake/install.cmake: no install rules or package in a sanitizer or fuzzing build")
  return()
endif()

include(GNUInstallDirs)

# Without the man pages the package is incomplete: say so now rather than
# install without them.
find_program(PROSPECT_HELP2MAN help2man)
if(NOT PROSPECT_HELP2MAN)
  message(FATAL_ERROR "help2man not found: the man pages are generated from --help at build time. "
                      "Install it with `apt-get install -y help2man` (scripts/setup does).")
endif()

set(prospect_doc_dir ${CMAKE_INSTALL_DATAROOTDIR}/doc/prospect-import)
set(prospect_man_dir ${CMAKE_CURRENT_BINARY_DIR}/man)

# prospect_man_page(<target> <one-line description>): <target>.1.gz from its
# --help and --version, rebuilt whenever the binary is. Compressed, as Debian
# ships man pages; -n reproducible with SOURCE_DATE_EPOCH.
set(prospect_man_pages)
function(prospect_man_page target description)
  set(page ${prospect_man_dir}/${target}.1)
  add_custom_command(OUTPUT ${page}.gz
    COMMAND ${CMAKE_COMMAND} -E make_directory ${prospect_man_dir}
    COMMAND ${PROSPECT_HELP2MAN} --no-info --section 1 --name ${description}
            --include ${PROJECT_SOURCE_DIR}/cmake/man-see-also.h2m --output ${page} $<TARGET_FILE:${target}>
    COMMAND gzip -9nf ${page}
    DEPENDS ${target} ${PROJECT_SOURCE_DIR}/cmake/man-see-also.h2m
    COMMENT "help2man: ${target}.1"
    VERBATIM)
  set(prospect_man_pages ${prospect_man_pages} ${page}.gz PARENT_SCOPE)
endfunction()
prospect_man_page(prospect-import "import lead spreadsheets (CSV) into Extrovert prospect lists")
prospect_man_page(prospect-sandbox "local HTTPS imitation of the Extrovert Add Prospect API")
add_custom_target(man_pages ALL DEPENDS ${prospect_man_pages})

install(TARGETS prospect-import prospect-sandbox RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${prospect_man_pages} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/samples/ DESTINATION ${prospect_doc_dir}/samples USE_SOURCE_PERMISSIONS)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/docs/contract.md
              ${PROJECT_SOURCE_DIR}/docs/scheduling.md
        DESTINATION ${prospect_doc_dir})
# What the systemd service runs; off PATH, like any helper of a unit.
install(PROGRAMS ${PROJECT_SOURCE_DIR}/samples/cron/import-inbox
        DESTINATION ${CMAKE_INSTALL_LIBEXECDIR}/prospect-import)
# The units' destination and ExecStart= depend on the prefix given at install
# time (--prefix, or /usr when CPack packages), so they are placed then.
install(CODE "set(prospect_unit_source_dir \"${PROJECT_SOURCE_DIR}/samples/cron\")
              set(prospect_unit_binary_dir \"${CMAKE_CURRENT_BINARY_DIR}/units\")
              set(prospect_libexec_dir \"${CMAKE_INSTALL_LIBEXECDIR}\")")
install(SCRIPT ${PROJECT_SOURCE_DIR}/cmake/install_units.cmake)

set(PROSPECT_PACKAGE_MAINTAINER "prospect-import maintainers <maintainers@prospect-import.invalid>"
    CACHE STRING "Maintainer field of the Debian package")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME prospect-import)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT ${PROSPECT_PACKAGE_MAINTAINER})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "import lead spreadsheets into Extrovert prospect lists")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "import lead spreadsheets into Extrovert prospect lists
prospect-import adds every LinkedIn profile of a CSV export (Sales Navigator,
Apollo, Phantombuster, HubSpot, hand-made sheets) to a prospect list of an
Extrovert campaign through its HTTP API, as fast as the API's rate limit
allows, without losing or duplicating a row, and writes a per-row report.
It resumes from a journal, and its exit statuses tell a scheduler what to do;
a systemd service and timer that import an inbox folder are included.
prospect-sandbox is a local HTTPS imitation of the API for rehearsals.")
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
# Library dependencies from the binaries (dpkg-shlibdeps, from dpkg-dev);
# the CA store by hand, since the real API is trusted through it.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "ca-certificates")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "redis-server")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_STRIP_FILES ON)
# Installed into a staging DESTDIR with the prefix /usr, so that the units'
# absolute /lib/systemd/system lands inside the package.
set(CPACK_SET_DESTDIR ON)
set(CPACK_INSTALL_PREFIX /usr)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
include(CPack)

add_test(NAME package COMMAND ${PROJECT_SOURCE_DIR}/scripts/check_package ${CMAKE_BINARY_DIR})
set_tests_properties(package PROPERTIES LABELS package RUN_SERIAL ON)
