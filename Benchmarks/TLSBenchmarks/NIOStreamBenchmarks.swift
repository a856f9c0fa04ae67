import Foundation
import NIOCore
import NIOPosix
import Synchronization
import TLSHandshake
import TLSNIO
import TLSSockets

/// Bulk throughput into a SwiftNIO server (issue 14): our blocking client writes 16 KB
/// chunks to a `TLSChannelHandler` on an event loop, which opens the records and counts the
/// plaintext. Beside `socket stream` (blocking server), with the same ratio to the record
/// layer's in-memory round trip.
func nioStreamCases() -> [BenchmarkCase] {
    let size = 16384
    var cases: [BenchmarkCase] = []
    for (suite, label) in [(CipherSuite.rsaWith3DESEDECBCSHA, "3DES"), (.rsaWithNullSHA, "NULL-SHA")] {
        do {
            let pipe = try NIOStreamPipe(suite: suite)
            let chunk = [UInt8](repeating: 0x5A, count: size)
            cases.append(
                BenchmarkCase(
                    group: "stream", name: "\(label) NIO server stream \(sizeLabel(size))", bytesPerOperation: size,
                    baselines: ["\(label) record round trip \(sizeLabel(size))"]
                ) { n in pipe.send(chunk, times: n) })
        } catch {
            FileHandle.standardError.write(Data("NIO stream benchmark \(label): cannot set up: \(error)\n".utf8))
        }
    }
    return cases
}

/// A blocking client stream connected to a NIO server that counts what it reads.
private final class NIOStreamPipe {
    private let client: BlockingTLSStream
    private let received = ByteCounter()
    private let server: any Channel
    private var sent = 0

    init(suite: CipherSuite) throws {
        let (serverConfiguration, clientConfiguration) = try BenchmarkIdentity.configurations(suite: suite)
        let received = self.received
        server = try ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers([
                        try TLSChannelHandler(server: serverConfiguration), CountingHandler(received),
                    ])
                }
            }
            .bind(host: "127.0.0.1", port: 0).wait()
        client = try BlockingTLSStream.connect(
            host: "127.0.0.1", port: UInt16(server.localAddress?.port ?? 0), configuration: clientConfiguration,
            serverName: "localhost", timeout: .seconds(10))
    }

    deinit {
        try? client.close()
        server.close(promise: nil)
    }

    func send(_ chunk: [UInt8], times: Int) {
        for _ in 0..<times {
            do {
                try client.write(chunk)
            } catch {
                FileHandle.standardError.write(Data("NIO stream benchmark: write failed: \(error)\n".utf8))
                return
            }
        }
        sent += chunk.count * times
        while received.bytes.load(ordering: .acquiring) < sent { sched_yield() }
    }
}

/// Plaintext bytes a server has read, shared with the thread that waits for them.
final class ByteCounter: Sendable {
    let bytes = Atomic<Int>(0)
}

/// Counts and drops plaintext.
final class CountingHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    let counter: ByteCounter

    init(_ counter: ByteCounter) { self.counter = counter }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        counter.bytes.add(unwrapInboundIn(data).readableBytes, ordering: .releasing)
    }
}
