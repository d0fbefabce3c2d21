# Secrets and trust: the API key never leaks (output, report, journal, lock,
# metrics), key file permissions (--strict), expired and wrong-host
# certificates. OpenSSL directly: the tests make their own certificates.
prospect_e2e_test(secrets SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/secrets_test.cpp
  LIBS prospect_e2e_client OpenSSL::SSL OpenSSL::Crypto)
