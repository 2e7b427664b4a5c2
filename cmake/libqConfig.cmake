# CMake package for an installed libq-rs: find_package(libq 0.1) gives the imported target
# libq::q (libq.so with include/libq: k.h for C, k.hpp for C++17). Installed by
# scripts/install.sh into PREFIX/lib/cmake/libq, found from wherever PREFIX is moved.
get_filename_component(_libq_prefix "${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)
if(NOT TARGET libq::q)
  add_library(libq::q SHARED IMPORTED)
  set_target_properties(libq::q PROPERTIES
    IMPORTED_LOCATION "${_libq_prefix}/lib/libq.so"
    IMPORTED_SONAME "libq.so"
    INTERFACE_INCLUDE_DIRECTORIES "${_libq_prefix}/include/libq"
    INTERFACE_COMPILE_DEFINITIONS "KXVER=3")
endif()
set(libq_FOUND TRUE)
unset(_libq_prefix)
