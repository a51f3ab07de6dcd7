# Runs at install time (`cmake --install`, and cpack for the .deb), when the prefix is known:
# the default config and the systemd unit, whose ExecStart names the installed paths.
# Prefix /usr (the .deb) puts the config in /etc, any other prefix in PREFIX/etc, as
# GNUInstallDirs does. An existing config is kept: it is the operator's.
# Set by CMakeLists.txt: MOVIEC_SOURCE_DIR, MOVIEC_BINARY_DIR, MOVIEC_BINDIR.
if(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  set(moviec_etc "/etc/moviec")
else()
  set(moviec_etc "${CMAKE_INSTALL_PREFIX}/etc/moviec")
endif()
set(MOVIEC_BIN "${CMAKE_INSTALL_PREFIX}/${MOVIEC_BINDIR}/moviec")
set(MOVIEC_CONFIG "${moviec_etc}/moviec.json")

if(EXISTS "$ENV{DESTDIR}${MOVIEC_CONFIG}")
  message(STATUS "Keeping: $ENV{DESTDIR}${MOVIEC_CONFIG}")
else()
  file(INSTALL DESTINATION "${moviec_etc}" TYPE FILE PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ
       FILES "${MOVIEC_SOURCE_DIR}/config/default.json" RENAME moviec.json)
endif()

set(unit "${MOVIEC_BINARY_DIR}/packaging/moviec.service")
configure_file("${MOVIEC_SOURCE_DIR}/packaging/moviec.service.in" "${unit}" @ONLY)
file(INSTALL DESTINATION "${CMAKE_INSTALL_PREFIX}/lib/systemd/system" TYPE FILE
     PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ FILES "${unit}")
