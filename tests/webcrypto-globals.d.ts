// Node 22 has WebCrypto's global classes, but @types/node names their types only under
// `webcrypto`. Edge modules the platform tests import (storage/signer.ts, to sign a storage URL the
// way the edge does) refer to the global names, as the Workers types declare them.
type JsonWebKey = import("node:crypto").webcrypto.JsonWebKey;
type CryptoKey = import("node:crypto").webcrypto.CryptoKey;
