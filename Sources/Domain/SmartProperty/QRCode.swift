import Foundation

/// A QR code (ISO/IEC 18004) of a short text in byte mode at error-correction level M, versions 1–6
/// (up to 106 bytes: a pass code or a short link). The pass page draws it as SVG; no image library.
public struct QRCode: Sendable, Equatable {
    /// Modules per side (21 for version 1, 4 more per version).
    public let size: Int
    public let version: Int
    /// The mask pattern chosen (0–7) by the standard's penalty rules.
    public let mask: Int
    /// `modules[row][column]`, true for dark.
    public let modules: [[Bool]]

    /// Level M, per version 1–6: error-correction codewords per block and the data codewords of each block.
    static let levelM: [(ec: Int, blocks: [Int])] = [
        (10, [16]), (16, [28]), (26, [44]), (18, [32, 32]), (24, [43, 43]), (16, [27, 27, 27, 27]),
    ]

    /// The smallest code holding `text`, or nil when it is longer than version 6 takes.
    public static func encode(_ text: String) -> QRCode? {
        let bytes = Array(text.utf8)
        guard let version = (1...6).first(where: { v in 4 + 8 + bytes.count * 8 <= levelM[v - 1].blocks.reduce(0, +) * 8 }) else { return nil }
        let spec = levelM[version - 1]
        let capacity = spec.blocks.reduce(0, +)
        // Mode 0100 (byte), an 8-bit count, the bytes, a terminator, padding.
        var bits: [Bool] = []
        func put(_ value: Int, _ count: Int) { for i in stride(from: count - 1, through: 0, by: -1) { bits.append((value >> i) & 1 == 1) } }
        put(0b0100, 4); put(bytes.count, 8)
        for b in bytes { put(Int(b), 8) }
        put(0, min(4, capacity * 8 - bits.count))
        while bits.count % 8 != 0 { bits.append(false) }
        var data: [UInt8] = stride(from: 0, to: bits.count, by: 8).map { i in bits[i..<i + 8].reduce(UInt8(0)) { $0 << 1 | ($1 ? 1 : 0) } }
        var pad: UInt8 = 0xEC
        while data.count < capacity { data.append(pad); pad = pad == 0xEC ? 0x11 : 0xEC }
        // Blocks, each with its error correction, interleaved.
        let divisor = ReedSolomon.divisor(degree: spec.ec)
        var blocks: [[UInt8]] = [], ecs: [[UInt8]] = []
        var at = 0
        for n in spec.blocks {
            let block = Array(data[at..<at + n]); at += n
            blocks.append(block); ecs.append(ReedSolomon.remainder(block, divisor))
        }
        var codewords: [UInt8] = []
        for i in 0..<(spec.blocks.max() ?? 0) { for b in blocks where i < b.count { codewords.append(b[i]) } }
        for i in 0..<spec.ec { for e in ecs { codewords.append(e[i]) } }

        var best: QRCode?
        var bestPenalty = Int.max
        for mask in 0..<8 {
            var grid = Grid(version: version)
            grid.drawFunctionPatterns()
            grid.drawCodewords(codewords)
            grid.applyMask(mask)
            grid.drawFormat(mask: mask)
            let penalty = grid.penalty()
            if penalty < bestPenalty { bestPenalty = penalty; best = QRCode(size: grid.size, version: version, mask: mask, modules: grid.modules) }
        }
        return best
    }

    /// The version-`v` grid's function modules (finders, timing, alignment, format), for readers and tests.
    public static func functionModules(version: Int) -> [[Bool]] {
        var grid = Grid(version: version)
        grid.drawFunctionPatterns()
        return grid.isFunction
    }

    /// The mask's condition at a module (column `x`, row `y`).
    public static func masked(_ mask: Int, x: Int, y: Int) -> Bool {
        switch mask {
        case 0: (x + y) % 2 == 0
        case 1: y % 2 == 0
        case 2: x % 3 == 0
        case 3: (x + y) % 3 == 0
        case 4: (x / 3 + y / 2) % 2 == 0
        case 5: x * y % 2 + x * y % 3 == 0
        case 6: (x * y % 2 + x * y % 3) % 2 == 0
        default: ((x + y) % 2 + x * y % 3) % 2 == 0
        }
    }

    /// The 15 format bits for level M and `mask` (BCH-coded, masked with 101010000010010).
    public static func formatBits(mask: Int) -> Int {
        let data = (0b00 << 3) | mask
        var rem = data
        for _ in 0..<10 { rem = (rem << 1) ^ ((rem >> 9) * 0x537) }
        return ((data << 10) | rem) ^ 0x5412
    }

    /// The order modules take codewords in: pairs of columns from the right, up then down, skipping the timing column.
    public static func dataPositions(version: Int) -> [(x: Int, y: Int)] {
        let function = functionModules(version: version)
        let size = function.count
        var out: [(x: Int, y: Int)] = []
        var right = size - 1
        while right >= 1 {
            if right == 6 { right = 5 }
            for vert in 0..<size {
                for j in 0..<2 {
                    let x = right - j
                    let upward = (right + 1) & 2 == 0
                    let y = upward ? size - 1 - vert : vert
                    if !function[y][x] { out.append((x, y)) }
                }
            }
            right -= 2
        }
        return out
    }

    struct Grid {
        let version: Int
        let size: Int
        var modules: [[Bool]]
        var isFunction: [[Bool]]

        init(version: Int) {
            self.version = version
            size = version * 4 + 17
            modules = Array(repeating: Array(repeating: false, count: size), count: size)
            isFunction = modules
        }

        mutating func set(_ x: Int, _ y: Int, _ dark: Bool) {
            modules[y][x] = dark; isFunction[y][x] = true
        }

        mutating func drawFunctionPatterns() {
            for i in 0..<size { set(6, i, i % 2 == 0); set(i, 6, i % 2 == 0) }
            for (cx, cy) in [(3, 3), (size - 4, 3), (3, size - 4)] {
                for dy in -4...4 {
                    for dx in -4...4 {
                        let x = cx + dx, y = cy + dy
                        guard (0..<size).contains(x), (0..<size).contains(y) else { continue }
                        let d = max(abs(dx), abs(dy))
                        set(x, y, d != 2 && d != 4)
                    }
                }
            }
            if version >= 2 {
                let c = size - 7
                for dy in -2...2 { for dx in -2...2 { set(c + dx, c + dy, max(abs(dx), abs(dy)) != 1) } }
            }
            drawFormat(mask: 0)  // reserves the format areas; drawn again once the mask is chosen
        }

        mutating func drawFormat(mask: Int) {
            let bits = QRCode.formatBits(mask: mask)
            func bit(_ i: Int) -> Bool { (bits >> i) & 1 == 1 }
            for i in 0...5 { set(8, i, bit(i)) }
            set(8, 7, bit(6)); set(8, 8, bit(7)); set(7, 8, bit(8))
            for i in 9..<15 { set(14 - i, 8, bit(i)) }
            for i in 0..<8 { set(size - 1 - i, 8, bit(i)) }
            for i in 8..<15 { set(8, size - 15 + i, bit(i)) }
            set(8, size - 8, true)
        }

        mutating func drawCodewords(_ data: [UInt8]) {
            for (i, p) in QRCode.dataPositions(version: version).enumerated() where i < data.count * 8 {
                modules[p.y][p.x] = (data[i >> 3] >> (7 - (i & 7))) & 1 == 1
            }
        }

        mutating func applyMask(_ mask: Int) {
            for y in 0..<size { for x in 0..<size where !isFunction[y][x] && QRCode.masked(mask, x: x, y: y) { modules[y][x].toggle() } }
        }

        /// The standard's four penalties: runs of five or more, 2×2 blocks, finder-like patterns, imbalance.
        func penalty() -> Int {
            var total = 0
            func lines() -> [[Bool]] {
                var out = modules
                for x in 0..<size { out.append((0..<size).map { modules[$0][x] }) }
                return out
            }
            let finderLike: [Bool] = [true, false, true, true, true, false, true]
            for line in lines() {
                var run = 1
                for i in 1..<size {
                    if line[i] == line[i - 1] { run += 1 } else { if run >= 5 { total += run - 2 }; run = 1 }
                }
                if run >= 5 { total += run - 2 }
                // 1:1:3:1:1 with four light modules on either side (beyond the edge counts as light).
                for i in 0...(size - 7) where Array(line[i..<i + 7]) == finderLike {
                    let before = (max(0, i - 4)..<i).allSatisfy { !line[$0] }
                    let after = (i + 7..<min(size, i + 11)).allSatisfy { !line[$0] }
                    if before || after { total += 40 }
                }
            }
            for y in 0..<size - 1 {
                for x in 0..<size - 1 {
                    let c = modules[y][x]
                    if c == modules[y][x + 1] && c == modules[y + 1][x] && c == modules[y + 1][x + 1] { total += 3 }
                }
            }
            let dark = modules.reduce(0) { $0 + $1.filter { $0 }.count }
            let cells = size * size
            let k = (abs(dark * 20 - cells * 10) + cells - 1) / cells - 1
            total += max(0, k) * 10
            return total
        }
    }
}

/// Reed–Solomon over GF(256) with the QR polynomial x⁸+x⁴+x³+x²+1.
public enum ReedSolomon {
    public static func multiply(_ x: UInt8, _ y: UInt8) -> UInt8 {
        var z = 0
        for i in stride(from: 7, through: 0, by: -1) {
            z = (z << 1) ^ ((z >> 7) * 0x11D)
            z ^= Int((y >> UInt8(i)) & 1) * Int(x)
        }
        return UInt8(z)
    }

    /// The generator polynomial of `degree`, highest term dropped (its coefficient is 1).
    public static func divisor(degree: Int) -> [UInt8] {
        var result = Array(repeating: UInt8(0), count: degree - 1) + [1]
        var root: UInt8 = 1
        for _ in 0..<degree {
            for j in 0..<degree {
                result[j] = multiply(result[j], root)
                if j + 1 < degree { result[j] ^= result[j + 1] }
            }
            root = multiply(root, 0x02)
        }
        return result
    }

    /// The error-correction codewords of `data`.
    public static func remainder(_ data: [UInt8], _ divisor: [UInt8]) -> [UInt8] {
        var result = Array(repeating: UInt8(0), count: divisor.count)
        for b in data {
            let factor = b ^ result.removeFirst()
            result.append(0)
            for i in 0..<result.count { result[i] ^= multiply(divisor[i], factor) }
        }
        return result
    }
}
