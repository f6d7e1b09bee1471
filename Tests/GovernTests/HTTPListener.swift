import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A minimal HTTP listener on 127.0.0.1 for the event tests: it records each request's body
/// and answers with the status `answer` gives for the request's number (0 first).
final class HTTPListener: @unchecked Sendable {
  let port: Int
  private let socketFD: Int32
  private let lock = NSLock()
  private var received: [String] = []
  private var requests = 0
  private let answer: @Sendable (Int) -> Int

  init(answer: @escaping @Sendable (Int) -> Int = { _ in 200 }) throws {
    self.answer = answer
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let size = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, size) }
    }
    guard bound == 0, listen(fd, 16) == 0 else {
      close(fd)
      throw World.WorldError.commandFailed("the HTTP listener could not bind 127.0.0.1")
    }
    var length = size
    _ = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    socketFD = fd
    port = Int(UInt16(bigEndian: address.sin_port))
    Thread.detachNewThread { [self] in serve() }
  }

  deinit {
    shutdown(socketFD, Int32(SHUT_RDWR))
    close(socketFD)
  }

  var url: String { "http://127.0.0.1:\(port)/events" }

  /// The bodies of the requests answered 2xx, in order.
  var bodies: [String] {
    lock.lock()
    defer { lock.unlock() }
    return received
  }

  var requestCount: Int {
    lock.lock()
    defer { lock.unlock() }
    return requests
  }

  private func serve() {
    while true {
      let client = accept(socketFD, nil, nil)
      guard client >= 0 else { return }
      handle(client)
      close(client)
    }
  }

  private func handle(_ client: Int32) {
    var data = [UInt8]()
    var buffer = [UInt8](repeating: 0, count: 4096)
    var expected: Int?
    while true {
      let count = read(client, &buffer, buffer.count)
      if count <= 0 { break }
      data += buffer[..<count]
      let text = String(decoding: data, as: UTF8.self)
      guard let end = text.range(of: "\r\n\r\n") else { continue }
      if expected == nil {
        let header = text[..<end.lowerBound].lowercased()
        let length =
          header.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
          .flatMap {
            Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces))
          }
          ?? 0
        expected = text.utf8.distance(from: text.utf8.startIndex, to: end.upperBound) + length
      }
      if let expected, data.count >= expected { break }
    }
    let text = String(decoding: data, as: UTF8.self)
    let body = text.range(of: "\r\n\r\n").map { String(text[$0.upperBound...]) } ?? ""
    lock.lock()
    let number = requests
    requests += 1
    let status = answer(number)
    if (200..<300).contains(status) { received.append(body) }
    lock.unlock()
    let reply = "HTTP/1.1 \(status) X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    _ = reply.withCString { write(client, $0, strlen($0)) }
  }
}
