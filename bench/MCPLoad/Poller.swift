internal import CLinux
internal import Glibc

/// The one epoll instance of the load client. Everything runs on the thread that calls ``poll(timeoutMilliseconds:)``:
/// readiness is handled where it is observed, with no handover, so the client adds as little latency as it can.
///
/// Registrations carry a slot index and a generation in the 64-bit epoll cookie, so an event still queued for a
/// connection that was closed earlier in the same batch is recognised as stale and dropped.
final class Poller {
    private let epollFD: Int32
    private var slots: [LoopbackConnection?] = []
    private var generations: [UInt32] = []
    private var freeSlots: [Int] = []
    private let events: UnsafeMutablePointer<epoll_event>
    private let eventCapacity = 1024
    /// Every read lands here; parsers copy only what they keep. Valid only during one connection's read handling.
    let readBuffer: UnsafeMutableRawBufferPointer

    init() throws(LoadError) {
        epollFD = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epollFD >= 0 else { throw LoadError.system("epoll_create1", errno) }
        events = .allocate(capacity: eventCapacity)
        readBuffer = .allocate(byteCount: 256 * 1024, alignment: 16)
    }

    deinit {
        events.deallocate()
        readBuffer.deallocate()
        close(epollFD)
    }

    /// Registers `connection`'s descriptor for reading (and writing, while `writable`); returns its cookie.
    func register(_ connection: LoopbackConnection, writable: Bool) -> UInt64 {
        let slot: Int
        if let free = freeSlots.popLast() {
            slot = free
            slots[slot] = connection
        } else {
            slot = slots.count
            slots.append(connection)
            generations.append(0)
        }
        let cookie = UInt64(generations[slot]) << 32 | UInt64(slot)
        var event = epoll_event()
        event.events = Self.interest(writable: writable)
        event.data.u64 = cookie
        epoll_ctl(epollFD, EPOLL_CTL_ADD, connection.fd, &event)
        return cookie
    }

    func setInterest(_ connection: LoopbackConnection, writable: Bool) {
        var event = epoll_event()
        event.events = Self.interest(writable: writable)
        event.data.u64 = connection.cookie
        epoll_ctl(epollFD, EPOLL_CTL_MOD, connection.fd, &event)
    }

    /// Forgets `connection`; the caller closes the descriptor afterwards.
    func deregister(_ connection: LoopbackConnection) {
        epoll_ctl(epollFD, EPOLL_CTL_DEL, connection.fd, nil)
        let slot = Int(connection.cookie & 0xFFFF_FFFF)
        guard slot < slots.count, slots[slot] === connection else { return }
        slots[slot] = nil
        generations[slot] &+= 1
        freeSlots.append(slot)
    }

    /// Waits up to `timeoutMilliseconds` for readiness and handles every event that arrived.
    func poll(timeoutMilliseconds: Int32) {
        let count = epoll_wait(epollFD, events, Int32(eventCapacity), timeoutMilliseconds)
        guard count > 0 else { return }
        for index in 0..<Int(count) {
            let event = events[index]
            let cookie = event.data.u64
            let slot = Int(cookie & 0xFFFF_FFFF)
            guard slot < slots.count, UInt64(generations[slot]) == cookie >> 32, let connection = slots[slot] else {
                continue
            }
            let flags = event.events
            // Hang-ups and errors surface as readable: the read then returns end-of-stream or the error.
            let readable = flags & (EPOLLIN.rawValue | EPOLLRDHUP.rawValue | EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0
            let writable = flags & (EPOLLOUT.rawValue | EPOLLERR.rawValue) != 0
            connection.handleEvents(readable: readable, writable: writable)
        }
    }

    private static func interest(writable: Bool) -> UInt32 {
        EPOLLIN.rawValue | EPOLLRDHUP.rawValue | (writable ? EPOLLOUT.rawValue : 0)
    }
}
