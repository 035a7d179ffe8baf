// Compiled below C++20 (-std=c++17), including one public header (HEADER,
// given on the command line) must stop with msgpool's own message, before any
// error from inside the library.
#include HEADER

int main() {}
