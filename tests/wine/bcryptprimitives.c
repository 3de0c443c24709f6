/* A stand-in for Windows' bcryptprimitives.dll, for Debian's Wine 8.0 only.
 *
 * Rust's standard library on Windows takes its random numbers from
 * ProcessPrng in bcryptprimitives.dll, which every Windows 10 and 11 has;
 * Wine gained it in 9.x. The Windows tests copy this into the Wine prefix's
 * system32. It is never shipped: real Windows has the real one. */
#include <windows.h>
#include <ntsecapi.h>

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    while (len > 0) {
        ULONG chunk = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!RtlGenRandom(data, chunk)) return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
