package trace

import "unsafe"

// The pieces of lines the text and JSON renderers keep and write again
// on line after line (a time, who did what, a message's head, a
// receiver's arrow) are short. Copied by append, each costs a call of
// memmove that spends most of its time choosing how to copy; a piece
// kept with room after it is copied by appendPiece in three fixed moves,
// past its end into the room the line has after it, without a call.

// pieceRoom is how many bytes appendPiece moves: a piece of at most as
// many, with as many bytes of capacity, is copied whole in one go.
const pieceRoom = 48

// appendPiece appends p to b, as append does: in three moves of 16
// bytes when p is at most pieceRoom long, p has pieceRoom bytes of
// capacity (it was made over roomy) and b room for as many after it.
// Bytes past the end of p land in b's room past the end of the piece,
// where the next piece writes over them.
func appendPiece(b, p []byte) []byte {
	if n := len(b); len(p) <= pieceRoom && cap(p) >= pieceRoom && cap(b)-n >= pieceRoom {
		d := unsafe.Add(unsafe.Pointer(unsafe.SliceData(b)), n)
		s := unsafe.Pointer(unsafe.SliceData(p))
		*(*[16]byte)(d) = *(*[16]byte)(s)
		*(*[16]byte)(unsafe.Add(d, 16)) = *(*[16]byte)(unsafe.Add(s, 16))
		*(*[16]byte)(unsafe.Add(d, 32)) = *(*[16]byte)(unsafe.Add(s, 32))
		return b[:n+len(p)]
	}
	return append(b, p...)
}

// roomy returns buf emptied, with at least pieceRoom bytes of capacity:
// a piece made over it can be copied by appendPiece.
func roomy(buf []byte) []byte {
	if cap(buf) < pieceRoom {
		return make([]byte, 0, pieceRoom)
	}
	return buf[:0]
}
