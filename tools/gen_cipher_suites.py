#!/usr/bin/env python3
"""gen_cipher_suites.py - write the cipher-suite table of src/probe/cipher_suites.c.

Inputs (both in tools/):
  tls-parameters-4.csv        IANA "TLS Cipher Suites" registry (assigned rows)
  openssl-cipher-names.txt    OpenSSL's names, "CODE NAME" per line

Every property (key exchange, authentication, cipher, MAC, bits, lowest and
highest protocol version, flags) is derived from the IANA name by the rules
below, so a new registry revision only needs the CSV replaced.  A few suites
whose names do not follow TLS_<KX>_WITH_<CIPHER>_<MAC> are described by hand
in SPECIAL; suites IANA never assigned but deployed servers speak (SSLv2
cipher kinds, the EXPORT1024 draft, OpenSSL's GOST code points) are in EXTRA.

The table replaces the text between the BEGIN/END GENERATED markers of
src/probe/cipher_suites.c.  Usage, from the repository root:

    python3 tools/gen_cipher_suites.py            # rewrite the table
    python3 tools/gen_cipher_suites.py --check    # exit 1 if it is stale
"""
import csv
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CSV = os.path.join(ROOT, "tools", "tls-parameters-4.csv")
NAMES = os.path.join(ROOT, "tools", "openssl-cipher-names.txt")
OUT = os.path.join(ROOT, "src", "probe", "cipher_suites.c")
BEGIN = "/* BEGIN GENERATED TABLE (tools/gen_cipher_suites.py) */\n"
END = "/* END GENERATED TABLE */\n"

SSL2, SSL3, TLS10, TLS12, TLS13 = "TLS_V_SSL2", "TLS_V_SSL3", "TLS_V_TLS10", "TLS_V_TLS12", "TLS_V_TLS13"

# Key-exchange part of an IANA name -> (kx, auth, export)
KX = {
    "NULL": ("NULL", "NULL", False),
    "RSA": ("RSA", "RSA", False),
    "RSA_EXPORT": ("RSA_EXPORT", "RSA", True),
    "RSA_EXPORT1024": ("RSA_EXPORT", "RSA", True),
    "DH_DSS": ("DH", "DSS", False),
    "DH_DSS_EXPORT": ("DH", "DSS", True),
    "DH_RSA": ("DH", "RSA", False),
    "DH_RSA_EXPORT": ("DH", "RSA", True),
    "DHE_DSS": ("DHE", "DSS", False),
    "DHE_DSS_EXPORT": ("DHE", "DSS", True),
    "DHE_DSS_EXPORT1024": ("DHE", "DSS", True),
    "DHE_RSA": ("DHE", "RSA", False),
    "DHE_RSA_EXPORT": ("DHE", "RSA", True),
    # anon (EC)DH uses ephemeral keys: RFC 5246 7.4.3, RFC 8422 2.3
    "DH_anon": ("DHE", "ANON", False),
    "DH_anon_EXPORT": ("DHE", "ANON", True),
    "ECDH_anon": ("ECDHE", "ANON", False),
    "KRB5": ("KRB5", "KRB5", False),
    "KRB5_EXPORT": ("KRB5", "KRB5", True),
    "PSK": ("PSK", "PSK", False),
    "DHE_PSK": ("DHE_PSK", "PSK", False),
    "PSK_DHE": ("DHE_PSK", "PSK", False),   # IANA's spelling of 0xC0AA/0xC0AB
    "RSA_PSK": ("RSA_PSK", "RSA", False),
    "ECDHE_PSK": ("ECDHE_PSK", "PSK", False),
    "ECDH_ECDSA": ("ECDH", "ECDSA", False),
    "ECDHE_ECDSA": ("ECDHE", "ECDSA", False),
    "ECDH_RSA": ("ECDH", "RSA", False),
    "ECDHE_RSA": ("ECDHE", "RSA", False),
    "SRP_SHA": ("SRP", "SRP", False),
    "SRP_SHA_RSA": ("SRP", "RSA", False),
    "SRP_SHA_DSS": ("SRP", "DSS", False),
    "ECCPWD": ("ECCPWD", "ECCPWD", False),
}

# Cipher part -> (enc, key_bits, strength_bits)
ENC = {
    "NULL": ("NULL", 0, 0),
    "RC4_40": ("RC4", 128, 40),
    "RC4_56": ("RC4", 128, 56),
    "RC4_128": ("RC4", 128, 128),
    "RC2_CBC_40": ("RC2_CBC", 128, 40),
    "RC2_CBC_56": ("RC2_CBC", 128, 56),
    "IDEA_CBC": ("IDEA_CBC", 128, 128),
    "DES40_CBC": ("DES_CBC", 56, 40),
    "DES_CBC_40": ("DES_CBC", 56, 40),
    "DES_CBC": ("DES_CBC", 56, 56),
    "3DES_EDE_CBC": ("3DES_EDE_CBC", 168, 112),   # meet-in-the-middle: 112
    "SEED_CBC": ("SEED_CBC", 128, 128),
    "AES_128_CBC": ("AES_CBC", 128, 128),
    "AES_256_CBC": ("AES_CBC", 256, 256),
    "AES_128_GCM": ("AES_GCM", 128, 128),
    "AES_256_GCM": ("AES_GCM", 256, 256),
    "AES_128_CCM": ("AES_CCM", 128, 128),
    "AES_256_CCM": ("AES_CCM", 256, 256),
    "AES_128_CCM_8": ("AES_CCM_8", 128, 128),
    "AES_256_CCM_8": ("AES_CCM_8", 256, 256),
    "CAMELLIA_128_CBC": ("CAMELLIA_CBC", 128, 128),
    "CAMELLIA_256_CBC": ("CAMELLIA_CBC", 256, 256),
    "CAMELLIA_128_GCM": ("CAMELLIA_GCM", 128, 128),
    "CAMELLIA_256_GCM": ("CAMELLIA_GCM", 256, 256),
    "ARIA_128_CBC": ("ARIA_CBC", 128, 128),
    "ARIA_256_CBC": ("ARIA_CBC", 256, 256),
    "ARIA_128_GCM": ("ARIA_GCM", 128, 128),
    "ARIA_256_GCM": ("ARIA_GCM", 256, 256),
    "CHACHA20_POLY1305": ("CHACHA20_POLY1305", 256, 256),
}
AEAD_ENC = {"AES_GCM", "AES_CCM", "AES_CCM_8", "CAMELLIA_GCM", "ARIA_GCM",
            "CHACHA20_POLY1305", "KUZNYECHIK_MGM", "MAGMA_MGM", "SM4_GCM",
            "SM4_CCM", "AEGIS_256", "AEGIS_128L"}
CBC_ENC = {"RC2_CBC", "IDEA_CBC", "DES_CBC", "3DES_EDE_CBC", "SEED_CBC",
           "AES_CBC", "CAMELLIA_CBC", "ARIA_CBC"}
BLOCK64_ENC = {"RC2_CBC", "IDEA_CBC", "DES_CBC", "3DES_EDE_CBC"}
MAC = {"MD5": "MD5", "SHA": "SHA1", "SHA256": "SHA256", "SHA384": "SHA384"}
FS_KX = {"DHE", "ECDHE", "DHE_PSK", "ECDHE_PSK", "ECCPWD", "ANY"}
PSK_KX = {"PSK", "DHE_PSK", "RSA_PSK", "ECDHE_PSK"}
EC_KX = {"ECDH", "ECDHE", "ECDHE_PSK", "ECCPWD"}

# Suites whose name is not TLS_<KX>_WITH_<CIPHER>_<MAC>:
# code -> (kx, auth, enc, mac, key_bits, strength_bits, min, max, extra flags)
SPECIAL = {
    0x0000: ("NULL", "NULL", "NULL", "NULL", 0, 0, SSL3, TLS12, []),
    0x00C6: ("ANY", "ANY", "SM4_GCM", "AEAD", 128, 128, TLS13, TLS13, []),   # RFC 8998
    0x00C7: ("ANY", "ANY", "SM4_CCM", "AEAD", 128, 128, TLS13, TLS13, []),
    0x00FF: ("NULL", "NULL", "NULL", "NULL", 0, 0, SSL3, TLS13, ["SIGNALLING"]),  # RFC 5746 3.3
    0x1301: ("ANY", "ANY", "AES_GCM", "AEAD", 128, 128, TLS13, TLS13, []),
    0x1302: ("ANY", "ANY", "AES_GCM", "AEAD", 256, 256, TLS13, TLS13, []),
    0x1303: ("ANY", "ANY", "CHACHA20_POLY1305", "AEAD", 256, 256, TLS13, TLS13, []),
    0x1304: ("ANY", "ANY", "AES_CCM", "AEAD", 128, 128, TLS13, TLS13, []),
    0x1305: ("ANY", "ANY", "AES_CCM_8", "AEAD", 128, 128, TLS13, TLS13, []),
    0x1306: ("ANY", "ANY", "AEGIS_256", "AEAD", 256, 256, TLS13, TLS13, []),
    0x1307: ("ANY", "ANY", "AEGIS_128L", "AEAD", 128, 128, TLS13, TLS13, []),
    0x5600: ("NULL", "NULL", "NULL", "NULL", 0, 0, SSL3, TLS13, ["SIGNALLING"]),  # RFC 7507
    # RFC 9150: integrity only, TLS 1.3
    0xC0B4: ("ANY", "ANY", "NULL", "SHA256", 0, 0, TLS13, TLS13, []),
    0xC0B5: ("ANY", "ANY", "NULL", "SHA384", 0, 0, TLS13, TLS13, []),
    # RFC 9189 (TLS 1.2), RFC 9367 (TLS 1.3); OpenSSL's 0xC102 is TLS 1.0+
    0xC100: ("GOST", "GOST", "KUZNYECHIK_CTR", "GOST", 256, 256, TLS12, TLS12, []),
    0xC101: ("GOST", "GOST", "MAGMA_CTR", "GOST", 256, 256, TLS12, TLS12, []),
    0xC102: ("GOST", "GOST", "GOST28147_CNT", "GOST", 256, 256, TLS10, TLS12, []),
    0xC103: ("ANY", "ANY", "KUZNYECHIK_MGM", "AEAD", 256, 256, TLS13, TLS13, []),
    0xC104: ("ANY", "ANY", "MAGMA_MGM", "AEAD", 256, 256, TLS13, TLS13, []),
    0xC105: ("ANY", "ANY", "KUZNYECHIK_MGM", "AEAD", 256, 256, TLS13, TLS13, []),
    0xC106: ("ANY", "ANY", "MAGMA_MGM", "AEAD", 256, 256, TLS13, TLS13, []),
}

# Deployed but never IANA-assigned: (code, name, ref, kx, auth, enc, mac,
# key_bits, strength_bits, min, max, flags)
EXTRA = [
    # draft-ietf-tls-56-bit-ciphersuites-01 (OpenSSL 0.9.x-1.0.x, old MS SChannel)
    (0x0060, "TLS_RSA_EXPORT1024_WITH_RC4_56_MD5", "draft-ietf-tls-56-bit-ciphersuites"),
    (0x0061, "TLS_RSA_EXPORT1024_WITH_RC2_CBC_56_MD5", "draft-ietf-tls-56-bit-ciphersuites"),
    (0x0062, "TLS_RSA_EXPORT1024_WITH_DES_CBC_SHA", "draft-ietf-tls-56-bit-ciphersuites"),
    (0x0063, "TLS_DHE_DSS_EXPORT1024_WITH_DES_CBC_SHA", "draft-ietf-tls-56-bit-ciphersuites"),
    (0x0064, "TLS_RSA_EXPORT1024_WITH_RC4_56_SHA", "draft-ietf-tls-56-bit-ciphersuites"),
    (0x0065, "TLS_DHE_DSS_EXPORT1024_WITH_RC4_56_SHA", "draft-ietf-tls-56-bit-ciphersuites"),
    (0x0066, "TLS_DHE_DSS_WITH_RC4_128_SHA", "draft-ietf-tls-56-bit-ciphersuites"),
    # draft-chudov-cryptopro-cptls (OpenSSL with the GOST engine)
    (0x0081, "TLS_GOSTR341001_WITH_28147_CNT_IMIT", "draft-chudov-cryptopro-cptls",
     "GOST", "GOST", "GOST28147_CNT", "GOST", 256, 256, TLS10, TLS12, []),
    (0x0083, "TLS_GOSTR341001_WITH_NULL_GOSTR3411", "draft-chudov-cryptopro-cptls",
     "GOST", "GOST", "NULL", "GOST", 0, 0, TLS10, TLS12, ["NULL_CIPHER"]),
    # OpenSSL's pre-RFC 9189 GOST 2012 code points, in the private-use range
    (0xFF85, None, "OpenSSL GOST engine",
     "GOST", "GOST", "GOST28147_CNT", "GOST", 256, 256, TLS10, TLS12, []),
    (0xFF87, None, "OpenSSL GOST engine",
     "GOST", "GOST", "NULL", "GOST", 0, 0, TLS10, TLS12, ["NULL_CIPHER"]),
    # SSL 2.0 cipher kinds (draft-hickman-netscape-ssl-00 Appendix C);
    # RC4_64 is Microsoft's, in OpenSSL 1.0.x ssl2.h as "MS hack"
    (0x010080, "SSL_CK_RC4_128_WITH_MD5", "draft-hickman-netscape-ssl",
     "RSA", "RSA", "RC4", "MD5", 128, 128, SSL2, SSL2, []),
    (0x020080, "SSL_CK_RC4_128_EXPORT40_WITH_MD5", "draft-hickman-netscape-ssl",
     "RSA", "RSA", "RC4", "MD5", 128, 40, SSL2, SSL2, ["EXPORT"]),
    (0x030080, "SSL_CK_RC2_128_CBC_WITH_MD5", "draft-hickman-netscape-ssl",
     "RSA", "RSA", "RC2_CBC", "MD5", 128, 128, SSL2, SSL2, []),
    (0x040080, "SSL_CK_RC2_128_CBC_EXPORT40_WITH_MD5", "draft-hickman-netscape-ssl",
     "RSA", "RSA", "RC2_CBC", "MD5", 128, 40, SSL2, SSL2, ["EXPORT"]),
    (0x050080, "SSL_CK_IDEA_128_CBC_WITH_MD5", "draft-hickman-netscape-ssl",
     "RSA", "RSA", "IDEA_CBC", "MD5", 128, 128, SSL2, SSL2, []),
    (0x060040, "SSL_CK_DES_64_CBC_WITH_MD5", "draft-hickman-netscape-ssl",
     "RSA", "RSA", "DES_CBC", "MD5", 56, 56, SSL2, SSL2, []),
    (0x0700C0, "SSL_CK_DES_192_EDE3_CBC_WITH_MD5", "draft-hickman-netscape-ssl",
     "RSA", "RSA", "3DES_EDE_CBC", "MD5", 168, 112, SSL2, SSL2, []),
    (0x080080, "SSL_CK_RC4_64_WITH_MD5", "Microsoft; OpenSSL 1.0 ssl2.h",
     "RSA", "RSA", "RC4", "MD5", 64, 64, SSL2, SSL2, []),
]


def derive(code, name):
    """Properties of an IANA-style name TLS_<KX>_WITH_<CIPHER>_<MAC>."""
    if code in SPECIAL:
        return SPECIAL[code]
    if not name.startswith("TLS_") or "_WITH_" not in name:
        raise SystemExit("cannot derive 0x%04X %s: add it to SPECIAL" % (code, name))
    kxs, rest = name[4:].split("_WITH_", 1)
    if kxs not in KX:
        raise SystemExit("unknown key exchange %r in %s" % (kxs, name))
    kx, auth, export = KX[kxs]
    parts = rest.split("_")
    if parts[-1] in MAC and "_".join(parts[:-1]) in ENC:
        encs, mac = "_".join(parts[:-1]), MAC[parts[-1]]
    elif rest in ENC:                   # ..._AES_128_CCM(_8): no hash named
        encs, mac = rest, None
    else:
        raise SystemExit("cannot split cipher/MAC of %s" % name)
    enc, key_bits, strength = ENC[encs]
    flags = ["EXPORT"] if export else []
    if enc in AEAD_ENC:
        mac = "AEAD"
        vmin = TLS12                    # AEAD records: RFC 5246 6.2.3.3
    elif mac in ("SHA256", "SHA384"):
        # RFC 5487 and 5489 define the PSK suites with HMAC-SHA256/384 for
        # TLS 1.0 too; the others need TLS 1.2's PRF (RFC 5246 5, RFC 5289).
        vmin = TLS10 if kx in PSK_KX else TLS12
    elif kx in EC_KX:
        vmin = TLS10                    # needs extensions (RFC 8422 2)
    else:
        vmin = SSL3
    return (kx, auth, enc, mac, key_bits, strength, vmin, TLS12, flags)


def flags_of(kx, auth, enc, mac, vmin, extra):
    f = list(extra)
    if auth in ("ANON", "NULL") and "SIGNALLING" not in f:
        f.append("ANON")
    if enc == "NULL" and "SIGNALLING" not in f and "NULL_CIPHER" not in f:
        f.append("NULL_CIPHER")
    if enc == "RC4":
        f.append("RC4")
    if enc in BLOCK64_ENC:
        f.append("SWEET32")
    if enc in CBC_ENC:
        f.append("CBC")
    if mac == "AEAD":
        f.append("AEAD")
    if kx in FS_KX:
        f.append("FORWARD_SECRET")
    if vmin == SSL2:
        f.append("SSLV2")
    seen = []
    for x in f:
        if x not in seen:
            seen.append(x)
    return seen


def load():
    names = {}
    with open(NAMES) as fh:
        for line in fh:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            c, n = line.split()
            c = int(c, 16)
            if c in names and names[c] != n:
                raise SystemExit("two OpenSSL names for 0x%04X" % c)
            names[c] = n
    rows = []
    with open(CSV, newline="") as fh:
        lines = [l for l in fh if not l.startswith("#")]
    for r in csv.DictReader(lines):
        v = r["Value"]
        if "-" in v or "*" in v:
            continue                    # a range: unassigned or reserved
        desc = r["Description"]
        if not desc.startswith("TLS_"):
            continue                    # "Reserved", "Unassigned", GREASE
        hi, lo = v.split(",")
        code = int(hi, 16) << 8 | int(lo, 16)
        ref = r["Reference"].strip("[]").split("][")[0]
        kx, auth, enc, mac, kb, sb, vmin, vmax, extra = derive(code, desc)
        flags = flags_of(kx, auth, enc, mac, vmin, extra)
        if r.get("Recommended") == "Y":
            flags.append("RECOMMENDED")
        rows.append((code, desc, names.get(code), kx, auth, enc, mac, kb, sb,
                     vmin, vmax, flags, ref))
    for e in EXTRA:
        code, name, ref = e[0], e[1], e[2]
        if len(e) == 3:
            kx, auth, enc, mac, kb, sb, vmin, vmax, extra = derive(code, name)
        else:
            kx, auth, enc, mac, kb, sb, vmin, vmax, extra = e[3:]
        flags = flags_of(kx, auth, enc, mac, vmin, extra) + ["UNOFFICIAL"]
        rows.append((code, name, names.get(code), kx, auth, enc, mac, kb, sb,
                     vmin, vmax, flags, ref))
    rows.sort()
    for a, b in zip(rows, rows[1:]):
        if a[0] == b[0]:
            raise SystemExit("duplicate code 0x%04X" % a[0])
    known = {r[0] for r in rows}
    for c in names:
        if c not in known:
            raise SystemExit("OpenSSL name for unknown code 0x%04X" % c)
    return rows


def cstr(s):
    return "NULL" if s is None else '"%s"' % s


def render(rows):
    out = []
    for (code, name, oname, kx, auth, enc, mac, kb, sb, vmin, vmax, flags,
         ref) in rows:
        fl = " | ".join("CS_F_" + f for f in flags) or "0"
        last = "%s, %s, %s, %s }," % (vmin, vmax, fl, cstr(ref))
        if len(last) > 70:              # keep lines near 80 columns
            last = "%s, %s,\n\t  %s, %s }," % (vmin, vmax, fl, cstr(ref))
        out.append("\t{ 0x%04X, %s, %s,\n\t  CS_KX_%s, CS_AU_%s, CS_ENC_%s, "
                   "CS_MAC_%s, %d, %d,\n\t  %s\n"
                   % (code, cstr(name), cstr(oname), kx, auth, enc, mac, kb,
                      sb, last))
    out.append("};\n#define CIPHER_SUITE_TABLE_COUNT %d\n" % len(rows))
    return "static const struct cipher_suite table[] = {\n" + "".join(out)


def main():
    rows = load()
    text = open(OUT).read()
    i, j = text.find(BEGIN), text.find(END)
    if i < 0 or j < i:
        raise SystemExit("markers not found in " + OUT)
    new = text[:i + len(BEGIN)] + render(rows) + text[j:]
    if "--check" in sys.argv[1:]:
        sys.exit(0 if new == text else 1)
    if new != text:
        with open(OUT, "w") as fh:
            fh.write(new)
    print("%d entries" % len(rows))


if __name__ == "__main__":
    main()
