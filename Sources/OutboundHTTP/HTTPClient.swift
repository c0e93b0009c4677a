internal import CCurl
internal import Glibc
internal import Dispatch
internal import Synchronization

/// Outbound HTTPS through libcurl: one multi handle, driven by Dispatch, so no thread blocks per request.
///
/// curl tells us, through its socket callback, which sockets to watch; each becomes a Dispatch read or write source
/// on one serial queue, and its readiness goes back to `curl_multi_socket_action`. curl's timer callback drives one
/// Dispatch timer. Everything that touches the multi handle or an easy handle runs on that queue. Connections (and
/// TLS sessions and DNS answers) are reused across requests to the same host, up to the per-host limit.
package final class HTTPClient: Sendable {
    private let driver: CurlDriver

    package init(configuration: OutboundHTTPConfiguration = .init()) {
        CurlGlobal.initialize()
        driver = CurlDriver(configuration: configuration)
    }

    package var configuration: OutboundHTTPConfiguration { driver.configuration }

    /// Sends `request` and returns the response, whatever its status.
    ///
    /// - Throws: ``OutboundHTTPError`` when no response arrived; task cancellation aborts the transfer in curl.
    package func send(_ request: OutboundRequest) async throws(OutboundHTTPError) -> OutboundResponse {
        let transfer = try Transfer(request: request, configuration: driver.configuration)
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                transfer.continuation = continuation
                driver.start(transfer)
            }
        } onCancel: {
            driver.cancel(transfer)
        }
        return try result.get()
    }
}

/// `curl_global_init` once, before any handle exists (libcurl requires it to run before threads use curl).
enum CurlGlobal {
    private static let initialized: Bool = {
        curl_global_init(Int(CURL_GLOBAL_DEFAULT))
        return true
    }()

    static func initialize() {
        _ = initialized
    }
}

/// The multi handle and everything curl asked us to watch. Confined to `queue`; `@unchecked Sendable` for that reason.
final class CurlDriver: @unchecked Sendable {
    let configuration: OutboundHTTPConfiguration
    let queue = DispatchQueue(label: "outbound.curl")
    private let multi: UnsafeMutableRawPointer
    private var sockets: [curl_socket_t: SocketWatch] = [:]
    private var timer: (any DispatchSourceTimer)?
    private var transfers: [ObjectIdentifier: Transfer] = [:]

    /// The read and write sources of one socket curl asked us to watch.
    private final class SocketWatch {
        var read: (any DispatchSourceRead)?
        var write: (any DispatchSourceWrite)?

        func cancel() {
            read?.cancel()
            write?.cancel()
            read = nil
            write = nil
        }
    }

    init(configuration: OutboundHTTPConfiguration) {
        self.configuration = configuration
        multi = curl_multi_init()
        let me = Unmanaged.passUnretained(self).toOpaque()
        ccurl_multi_setopt_socket_function(multi) { _, socket, what, userp, _ in
            let driver = Unmanaged<CurlDriver>.fromOpaque(userp!).takeUnretainedValue()
            driver.watch(socket, what: what)
            return 0
        }
        ccurl_multi_setopt_pointer(multi, CURLMOPT_SOCKETDATA, me)
        ccurl_multi_setopt_timer_function(multi) { _, milliseconds, userp in
            let driver = Unmanaged<CurlDriver>.fromOpaque(userp!).takeUnretainedValue()
            driver.schedule(afterMilliseconds: milliseconds)
            return 0
        }
        ccurl_multi_setopt_pointer(multi, CURLMOPT_TIMERDATA, me)
        ccurl_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, configuration.maxConnectionsPerHost)
        ccurl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, max(4, configuration.maxConnectionsPerHost * 4))
    }

    deinit {
        curl_multi_cleanup(multi)
    }

    func start(_ transfer: Transfer) {
        queue.async {
            guard !transfer.isCancelled else {
                transfer.finish(.failure(.cancelled))
                return
            }
            self.transfers[ObjectIdentifier(transfer)] = transfer
            curl_multi_add_handle(self.multi, transfer.easy)
        }
    }

    /// Takes the transfer out of curl: the connection is dropped mid-request and the caller gets ``cancelled``.
    func cancel(_ transfer: Transfer) {
        queue.async {
            transfer.isCancelled = true
            guard self.transfers.removeValue(forKey: ObjectIdentifier(transfer)) != nil else { return }
            curl_multi_remove_handle(self.multi, transfer.easy)
            transfer.finish(.failure(.cancelled))
        }
    }

    // MARK: - curl's callbacks (on `queue`, inside curl_multi_socket_action)

    private func watch(_ socket: curl_socket_t, what: Int32) {
        dispatchPrecondition(condition: .onQueue(queue))
        if what == CURL_POLL_REMOVE {
            sockets.removeValue(forKey: socket)?.cancel()
            return
        }
        let watch = sockets[socket] ?? SocketWatch()
        sockets[socket] = watch
        let wantsRead = what == CURL_POLL_IN || what == CURL_POLL_INOUT
        let wantsWrite = what == CURL_POLL_OUT || what == CURL_POLL_INOUT
        if wantsRead, watch.read == nil {
            let source = DispatchSource.makeReadSource(fileDescriptor: socket, queue: queue)
            source.setEventHandler { [unowned self] in self.act(on: socket, mask: CURL_CSELECT_IN) }
            source.activate()
            watch.read = source
        } else if !wantsRead, let read = watch.read {
            read.cancel()
            watch.read = nil
        }
        if wantsWrite, watch.write == nil {
            let source = DispatchSource.makeWriteSource(fileDescriptor: socket, queue: queue)
            source.setEventHandler { [unowned self] in self.act(on: socket, mask: CURL_CSELECT_OUT) }
            source.activate()
            watch.write = source
        } else if !wantsWrite, let write = watch.write {
            write.cancel()
            watch.write = nil
        }
    }

    private func schedule(afterMilliseconds milliseconds: Int) {
        dispatchPrecondition(condition: .onQueue(queue))
        timer?.cancel()
        timer = nil
        guard milliseconds >= 0 else { return }
        let source = DispatchSource.makeTimerSource(queue: queue)
        source.schedule(deadline: .now() + .milliseconds(milliseconds))
        source.setEventHandler { [unowned self] in self.act(on: CURL_SOCKET_TIMEOUT, mask: 0) }
        source.activate()
        timer = source
    }

    private func act(on socket: curl_socket_t, mask: Int32) {
        dispatchPrecondition(condition: .onQueue(queue))
        var running: Int32 = 0
        curl_multi_socket_action(multi, socket, mask, &running)
        collectFinished()
    }

    private func collectFinished() {
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(multi, &remaining) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
            let code = message.pointee.data.result
            var pointer: UnsafeMutableRawPointer?
            ccurl_easy_getinfo_pointer(easy, CURLINFO_PRIVATE, &pointer)
            curl_multi_remove_handle(multi, easy)
            guard let pointer else { continue }
            let transfer = Unmanaged<Transfer>.fromOpaque(pointer).takeUnretainedValue()
            guard transfers.removeValue(forKey: ObjectIdentifier(transfer)) != nil else { continue }
            transfer.complete(code: code)
        }
    }
}

/// One request in flight: its easy handle, the header list it owns, and the response as it arrives. Touched only on
/// the driver's queue once started, which is what makes the `@unchecked Sendable` sound.
final class Transfer: @unchecked Sendable {
    let easy: UnsafeMutableRawPointer
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let maxResponseBytes: Int
    /// Set on the driver's queue when the task was cancelled before or during the transfer.
    var isCancelled = false
    private var status = 0
    private var headers: [(name: String, value: String)] = []
    private var body: [UInt8] = []
    private var isTooLarge = false
    /// Set when the open-socket check refused the address curl was about to connect to.
    private var refusedAddress = false
    var continuation: CheckedContinuation<Result<OutboundResponse, OutboundHTTPError>, Never>?

    init(request: OutboundRequest, configuration: OutboundHTTPConfiguration) throws(OutboundHTTPError) {
        let lowered = request.url.lowercased()
        guard lowered.hasPrefix("https://") || lowered.hasPrefix("http://") else { throw .invalidURL(request.url) }
        if lowered.hasPrefix("http://"), !configuration.allowsPlainHTTP { throw .protocolNotAllowed(request.url) }
        guard let easy = curl_easy_init() else { throw .failed("curl_easy_init returned nothing") }
        self.easy = easy
        maxResponseBytes = request.maxResponseBytes ?? configuration.maxResponseBytes

        ccurl_easy_setopt_string(easy, CURLOPT_URL, request.url)
        // Signals are not for libraries; timeouts are handled without SIGALRM.
        ccurl_easy_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
        ccurl_easy_setopt_string(easy, CURLOPT_PROTOCOLS_STR, configuration.allowsPlainHTTP ? "http,https" : "https")
        ccurl_easy_setopt_string(easy, CURLOPT_REDIR_PROTOCOLS_STR, "https")
        // TLS is always verified; there is no setting to turn it off.
        ccurl_easy_setopt_long(easy, CURLOPT_SSL_VERIFYPEER, 1)
        ccurl_easy_setopt_long(easy, CURLOPT_SSL_VERIFYHOST, 2)
        ccurl_easy_setopt_long(easy, CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_2TLS))
        // An empty string asks for every encoding curl can decode (gzip, deflate, br where built in).
        ccurl_easy_setopt_string(easy, CURLOPT_ACCEPT_ENCODING, "")
        ccurl_easy_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(configuration.connectTimeout))
        ccurl_easy_setopt_long(easy, CURLOPT_TIMEOUT_MS, Self.milliseconds(request.timeout ?? configuration.totalTimeout))
        ccurl_easy_setopt_string(easy, CURLOPT_USERAGENT, configuration.userAgent)
        ccurl_easy_setopt_long(easy, CURLOPT_FOLLOWLOCATION, 0)

        switch request.method {
        case "GET": ccurl_easy_setopt_long(easy, CURLOPT_HTTPGET, 1)
        case "HEAD": ccurl_easy_setopt_long(easy, CURLOPT_NOBODY, 1)
        default: ccurl_easy_setopt_string(easy, CURLOPT_CUSTOMREQUEST, request.method)
        }
        var list: UnsafeMutablePointer<curl_slist>?
        for header in request.headers {
            list = curl_slist_append(list, "\(header.name): \(header.value)")
        }
        // curl would otherwise add `Expect: 100-continue` to larger bodies and wait for the answer.
        list = curl_slist_append(list, "Expect:")
        headerList = list
        ccurl_easy_setopt_slist(easy, CURLOPT_HTTPHEADER, list)

        let me = Unmanaged.passUnretained(self).toOpaque()
        ccurl_easy_setopt_pointer(easy, CURLOPT_PRIVATE, me)
        ccurl_easy_setopt_write_function(easy) { data, size, count, userp in
            let transfer = Unmanaged<Transfer>.fromOpaque(userp!).takeUnretainedValue()
            return transfer.received(data, size * count)
        }
        ccurl_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, me)
        ccurl_easy_setopt_header_function(easy) { data, size, count, userp in
            let transfer = Unmanaged<Transfer>.fromOpaque(userp!).takeUnretainedValue()
            transfer.receivedHeader(data, size * count)
            return size * count
        }
        ccurl_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, me)
        if request.refusesNonPublicAddresses {
            ccurl_easy_setopt_pointer(easy, CURLOPT_OPENSOCKETDATA, me)
            ccurl_easy_setopt_opensocket_function(easy) { userp, _, address in
                let transfer = Unmanaged<Transfer>.fromOpaque(userp!).takeUnretainedValue()
                guard let address, PublicAddress.isPublic(address) else {
                    transfer.refusedAddress = true
                    return CURL_SOCKET_BAD
                }
                return socket(address.pointee.family, address.pointee.socktype, address.pointee.protocol)
            }
        }
        if let body = request.body ?? (["POST", "PUT", "PATCH"].contains(request.method) ? [] : nil) {
            // curl copies the body, so no pointer outlives this scope.
            ccurl_easy_setopt_long(easy, CURLOPT_POSTFIELDSIZE, body.count)
            body.withUnsafeBytes { bytes in
                _ = ccurl_easy_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS,
                                              UnsafeMutableRawPointer(mutating: bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!))
            }
        }
    }

    deinit {
        curl_easy_cleanup(easy)
        curl_slist_free_all(headerList)
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return max(1, Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000))
    }

    /// Body bytes; returning less than offered makes curl abort, which is how the size cap is enforced.
    fileprivate func received(_ data: UnsafeMutablePointer<CChar>?, _ count: Int) -> Int {
        guard let data, count > 0 else { return 0 }
        guard body.count + count <= maxResponseBytes else {
            isTooLarge = true
            return 0
        }
        body.append(contentsOf: UnsafeRawBufferPointer(start: data, count: count))
        return count
    }

    fileprivate func receivedHeader(_ data: UnsafeMutablePointer<CChar>?, _ count: Int) {
        guard let data else { return }
        let line = String(decoding: UnsafeRawBufferPointer(start: data, count: count), as: UTF8.self)
        if line.hasPrefix("HTTP/") {
            // A new status line (after 100 Continue or a redirect) starts a new header block.
            headers = []
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = String(line[..<colon])
        let value = line[line.index(after: colon)...].trimmingCharacters(in: " \t\r\n")
        headers.append((name, value))
    }

    func complete(code: CURLcode) {
        if code == CURLE_OK {
            var status = 0
            ccurl_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
            finish(.success(OutboundResponse(status: status, headers: headers, body: body)))
            return
        }
        let reason = String(cString: curl_easy_strerror(code))
        switch code {
        case CURLE_WRITE_ERROR where isTooLarge: finish(.failure(.responseTooLarge(limit: maxResponseBytes)))
        case _ where refusedAddress: finish(.failure(.addressNotAllowed))
        case CURLE_OPERATION_TIMEDOUT: finish(.failure(.timedOut))
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_GOT_NOTHING:
            finish(.failure(.connectionFailed(reason)))
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE:
            finish(.failure(.tlsFailed(reason)))
        default:
            finish(.failure(.failed(reason)))
        }
    }

    func finish(_ result: Result<OutboundResponse, OutboundHTTPError>) {
        continuation?.resume(returning: result)
        continuation = nil
    }
}

extension StringProtocol {
    /// The text without the given leading and trailing characters.
    fileprivate func trimmingCharacters(in characters: String) -> String {
        let set = Set(characters)
        guard let first = firstIndex(where: { !set.contains($0) }), let last = lastIndex(where: { !set.contains($0) })
        else { return "" }
        return String(self[first...last])
    }
}
