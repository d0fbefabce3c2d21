# Runs at install time (cmake --install, cpack): puts the systemd units of
# samples/cron/ where systemd reads them for this prefix, their ExecStart=
# naming this prefix's import-inbox. Debian 12 keeps the units of packages
# installed under /usr in /lib/systemd/system; systemd also reads
# /usr/local/lib/systemd/system, so `--prefix /usr/local` works as it is.
if(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  set(unit_dir /lib/systemd/system)
else()
  set(unit_dir ${CMAKE_INSTALL_PREFIX}/lib/systemd/system)
endif()
set(units)
foreach(unit prospect-import.service prospect-import.timer)
  file(READ ${prospect_unit_source_dir}/${unit} text)
  string(REPLACE "/usr/libexec/prospect-import/" "${CMAKE_INSTALL_PREFIX}/${prospect_libexec_dir}/prospect-import/"
         text "${text}")
  file(WRITE ${prospect_unit_binary_dir}/${unit} "${text}")
  list(APPEND units ${prospect_unit_binary_dir}/${unit})
endforeach()
file(INSTALL DESTINATION ${unit_dir} TYPE FILE PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ
     FILES ${units})
