extension DicomClientConfiguration {
    /// Opens the transport the configuration asks for: the ``connector`` for plain TCP, the
    /// TLS transport (handshake included) for ``DicomSecurity/tls(_:_:)``.
    func openTransport() throws(DicomError) -> any DicomTransport {
        switch security {
        case .none:
            return try connector(host, port, timeouts)
        case .tls(let configuration, let options):
            return try TLSTransport.connect(host: host, port: port, configuration: configuration, options: options, timeouts: timeouts)
        }
    }
}

extension DicomServerConfiguration {
    /// Turns an accepted socket into the transport the configuration asks for, on the
    /// association's own thread: plain TCP through ``transportFactory``, or the TLS server
    /// handshake bounded by the ARTIM timer.
    func makeTransport(for socket: AcceptedSocket) throws(DicomError) -> any DicomTransport {
        switch security {
        case .none:
            return try transportFactory(socket, timeouts)
        case .tls(let configuration, let options):
            return try TLSTransport.accept(socket, configuration: configuration, options: options, timeouts: timeouts)
        }
    }
}
