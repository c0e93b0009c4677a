internal import CCurl
internal import Glibc

/// Whether an address is on the public internet: not loopback, unspecified, private (RFC 1918, RFC 4193), shared
/// (RFC 6598), link-local, multicast, reserved or documentation space, nor an IPv4-mapped IPv6 form of those.
enum PublicAddress {
    /// Judges the address curl is about to connect to. curl's `curl_sockaddr.addr` is declared as a `sockaddr`
    /// but holds the whole `sockaddr_in6` for IPv6, so it is read in place through the pointer curl passed.
    static func isPublic(_ address: UnsafePointer<curl_sockaddr>) -> Bool {
        let field = UnsafeRawPointer(address) + MemoryLayout<curl_sockaddr>.offset(of: \curl_sockaddr.addr)!
        switch address.pointee.family {
        case AF_INET:
            let ipv4 = field.loadUnaligned(as: sockaddr_in.self).sin_addr
            return withUnsafeBytes(of: ipv4) { isPublicIPv4(Array($0)) }
        case AF_INET6:
            guard Int(address.pointee.addrlen) >= MemoryLayout<sockaddr_in6>.size else { return false }
            let ipv6 = field.loadUnaligned(as: sockaddr_in6.self).sin6_addr
            return withUnsafeBytes(of: ipv6) { isPublicIPv6(Array($0)) }
        default:
            return false
        }
    }

    /// `bytes` in network order.
    static func isPublicIPv4(_ bytes: [UInt8]) -> Bool {
        guard bytes.count == 4 else { return false }
        let (a, b) = (bytes[0], bytes[1])
        switch a {
        case 0, 10, 127: return false
        case 100 where (64...127).contains(b): return false
        case 169 where b == 254: return false
        case 172 where (16...31).contains(b): return false
        case 192 where b == 168: return false
        case 192 where b == 0 && bytes[2] == 0: return false
        case 192 where b == 0 && bytes[2] == 2: return false
        case 198 where b == 18 || b == 19: return false
        case 198 where b == 51 && bytes[2] == 100: return false
        case 203 where b == 0 && bytes[2] == 113: return false
        case 224...255: return false
        default: return true
        }
    }

    static func isPublicIPv6(_ bytes: [UInt8]) -> Bool {
        guard bytes.count == 16 else { return false }
        if bytes.allSatisfy({ $0 == 0 }) { return false }
        if bytes[0..<15].allSatisfy({ $0 == 0 }) && bytes[15] == 1 { return false }
        // IPv4-mapped (::ffff:a.b.c.d) and NAT64 (64:ff9b::/96) carry an IPv4 address: judge that one.
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xff && bytes[11] == 0xff {
            return isPublicIPv4(Array(bytes[12...]))
        }
        if bytes[0] == 0xfc || bytes[0] == 0xfd { return false }
        if bytes[0] == 0xfe && (bytes[1] & 0xc0) == 0x80 { return false }
        if bytes[0] == 0xff { return false }
        if bytes[0] == 0x20 && bytes[1] == 0x01 && bytes[2] == 0x0d && bytes[3] == 0xb8 { return false }
        return true
    }
}
