/// The User Information item and its sub-items (PS3.8 §9.3.2.3, Annex D; PS3.7 Annex D.3.3).
///
/// Sub-items we do not interpret (extended negotiation, user identity, ...) are kept in
/// ``unknownSubItems`` in arrival order and otherwise ignored, as PS3.7 D.3.3 allows.
public struct UserInformation: Sendable, Equatable {
    /// Maximum length of a P-DATA-TF PDU body the sender can receive; 0 means unlimited (Annex D.1).
    public var maximumLength: UInt32?
    /// The sender's implementation class UID (mandatory on the wire; PS3.7 D.3.3.2).
    public var implementationClassUID: String?
    /// The sender's implementation version name (1–16 characters).
    public var implementationVersionName: String?
    /// Asynchronous operations window: invoked and performed (PS3.7 D.3.3.3).
    public var asynchronousOperationsWindow: AsynchronousOperationsWindow?
    /// SCP/SCU role selections, one per SOP class (PS3.7 D.3.3.4).
    public var roleSelections: [RoleSelection]
    /// Sub-items this implementation does not interpret: (type, value).
    public var unknownSubItems: [UnknownSubItem]

    /// Creates user information.
    public init(
        maximumLength: UInt32? = nil, implementationClassUID: String? = nil, implementationVersionName: String? = nil,
        asynchronousOperationsWindow: AsynchronousOperationsWindow? = nil, roleSelections: [RoleSelection] = [],
        unknownSubItems: [UnknownSubItem] = []
    ) {
        self.maximumLength = maximumLength
        self.implementationClassUID = implementationClassUID
        self.implementationVersionName = implementationVersionName
        self.asynchronousOperationsWindow = asynchronousOperationsWindow
        self.roleSelections = roleSelections
        self.unknownSubItems = unknownSubItems
    }

    /// Maximum number of outstanding operations each way (PS3.7 D.3.3.3).
    public struct AsynchronousOperationsWindow: Sendable, Equatable {
        /// Maximum number of operations invoked.
        public var invoked: UInt16
        /// Maximum number of operations performed.
        public var performed: UInt16
        /// Creates a window.
        public init(invoked: UInt16, performed: UInt16) {
            self.invoked = invoked
            self.performed = performed
        }
    }

    /// An SCP/SCU role selection for one SOP class (PS3.7 D.3.3.4).
    public struct RoleSelection: Sendable, Equatable {
        /// The SOP class UID.
        public var sopClassUID: String
        /// Whether the sender proposes (RQ) / accepts (AC) the SCU role.
        public var scuRole: Bool
        /// Whether the sender proposes / accepts the SCP role.
        public var scpRole: Bool
        /// Creates a role selection.
        public init(sopClassUID: String, scuRole: Bool, scpRole: Bool) {
            self.sopClassUID = sopClassUID
            self.scuRole = scuRole
            self.scpRole = scpRole
        }
    }

    /// A sub-item kept verbatim.
    public struct UnknownSubItem: Sendable, Equatable {
        /// The sub-item type byte.
        public var type: UInt8
        /// The sub-item value.
        public var value: [UInt8]
        /// Creates an unknown sub-item.
        public init(type: UInt8, value: [UInt8]) {
            self.type = type
            self.value = value
        }
    }

    func encode(into out: inout [UInt8]) {
        out.appendItem(.userInformation) { body in
            if let maximumLength {
                body.appendItem(.maximumLength) { $0.appendUInt32(maximumLength) }
            }
            if let implementationClassUID { body.appendTextItem(.implementationClassUID, implementationClassUID) }
            if let window = asynchronousOperationsWindow {
                body.appendItem(.asynchronousOperationsWindow) {
                    $0.appendUInt16(window.invoked)
                    $0.appendUInt16(window.performed)
                }
            }
            for role in roleSelections {
                body.appendItem(.roleSelection) {
                    $0.appendUInt16(UInt16(truncatingIfNeeded: role.sopClassUID.utf8.count))
                    $0 += Array(role.sopClassUID.utf8)
                    $0 += [role.scuRole ? 1 : 0, role.scpRole ? 1 : 0]
                }
            }
            if let implementationVersionName { body.appendTextItem(.implementationVersionName, implementationVersionName) }
            for item in unknownSubItems { body.appendItem(ItemType(rawValue: item.type), item.value) }
        }
    }

    init(decoding reader: inout ByteReader) throws(DicomError) {
        self.init()
        while !reader.isAtEnd {
            var (type, value) = try reader.readItem("user information")
            switch type {
            case .maximumLength:
                guard maximumLength == nil else { throw .invalid("user information has two maximum length sub-items") }
                maximumLength = try value.readUInt32("maximum length")
            case .implementationClassUID:
                implementationClassUID = try value.readText("implementation class UID")
            case .implementationVersionName:
                implementationVersionName = try value.readText("implementation version name", maximumLength: 16)
            case .asynchronousOperationsWindow:
                asynchronousOperationsWindow = AsynchronousOperationsWindow(
                    invoked: try value.readUInt16("operations invoked"),
                    performed: try value.readUInt16("operations performed"))
            case .roleSelection:
                let uidLength = Int(try value.readUInt16("role selection UID length"))
                var uid = try value.subReader(uidLength, context: "role selection SOP class UID")
                let sopClass = try uid.readText("role selection SOP class UID")
                let scu = try value.readUInt8("SCU role")
                let scp = try value.readUInt8("SCP role")
                guard scu <= 1, scp <= 1 else { throw .invalid("role selection values must be 0 or 1, got \(scu)/\(scp)") }
                roleSelections.append(RoleSelection(sopClassUID: sopClass, scuRole: scu == 1, scpRole: scp == 1))
            default:
                unknownSubItems.append(UnknownSubItem(type: type.rawValue, value: Array(try value.readBytes(value.remaining, "sub-item"))))
                continue
            }
            try value.expectEnd("user information sub-item 0x\(hex2(type.rawValue))")
        }
    }
}
