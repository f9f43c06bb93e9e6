// @ts-check
// The call page's state: the room (from the address), the chosen quality and devices, this
// member, the socket and a Peer per other member.

/** @typedef {import("/static/shared/socket.js").Socket} Socket */
/**
 * A signal relayed between two members (video.signal): a description or an ICE candidate.
 * @typedef {object} Signal
 * @property {"offer" | "answer" | "pranswer" | "rollback" | "candidate"} kind
 * @property {string} [sdp]
 * @property {RTCIceCandidateInit} [candidate]
 */
/**
 * What the page asks of a connection to another member (call-peer.js makes them).
 * @typedef {{pc: RTCPeerConnection, close: () => void, handle: (signal: Signal) => Promise<void>}} PeerLink
 */
/** @typedef {"low" | "standard" | "high"} Quality */
/** @typedef {{width: number, height: number, bitrate: number}} QualitySettings */
/**
 * A member of the call, as video.join and video.joined name them.
 * @typedef {object} Member
 * @property {number} id the participant's id
 * @property {string} [name]
 * @property {string} [role] "owner", "member", "guest" or "recorder"
 * @property {boolean} [polite] this side gives way when both offer at once
 * @property {boolean} [audio]
 * @property {boolean} [video]
 */
/**
 * The room, as GET /api/video/rooms/{token} and video.room describe it.
 * @typedef {object} Room
 * @property {string} [token]
 * @property {string} [title]
 * @property {string} [owner_name]
 * @property {number} [owner_id]
 * @property {number | null} [callee_id]
 * @property {boolean} [has_password]
 * @property {boolean} [recorded]
 * @property {number | null} [record_id]
 * @property {boolean} [ended]
 */

// getUserMedia constraints and the sender's maxBitrate per quality (VC-4).
/** @type {Record<Quality, QualitySettings>} */
export const QUALITY = {
  low: { width: 320, height: 180, bitrate: 150_000 },
  standard: { width: 640, height: 360, bitrate: 500_000 },
  high: { width: 1280, height: 720, bitrate: 1_500_000 },
};

/**
 * @param {string | null} value
 * @returns {value is Quality}
 */
export const isQuality = (value) => value === "low" || value === "standard" || value === "high";

export const roomToken = decodeURIComponent(location.pathname.split("/").pop() || "");
export const params = new URLSearchParams(location.search);
export const GUEST_KEY = `video.guest.${roomToken}`;

/**
 * @typedef {object} CallState
 * @property {Room | null} room
 * @property {Member | null} me this member, once joined
 * @property {Socket | null} socket
 * @property {string | null} bearer a colleague's or a guest's token
 * @property {number | null} userId
 * @property {boolean} guest
 * @property {MediaStream | null} stream the camera and microphone
 * @property {Quality} quality
 * @property {boolean} audio
 * @property {boolean} video
 * @property {RTCIceServer[]} iceServers
 * @property {Map<number, PeerLink>} peers participant id -> its connection
 * @property {string | null} password the room's, typed by a colleague who needs it
 * @property {boolean} joined
 */
/** @type {CallState} */
export const state = {
  room: null,
  me: null,
  socket: null,
  bearer: null, // a guest's token (a colleague is signed in by the session cookie)
  userId: null,
  guest: false,
  stream: null,
  quality: "standard",
  audio: true,
  video: true,
  iceServers: [],
  peers: new Map(), // participant id -> Peer
  password: null,
  joined: false,
};
/** @type {Window & {__call?: CallState}} */ (window).__call = state; // the browser tests read getStats() from the peers
