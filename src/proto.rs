//! The seed's gRPC contracts (`proto/`), compiled at build time: messages, clients and servers.
//! Package paths mirror the proto packages, so cross-package references resolve as generated.

#![allow(clippy::all, clippy::pedantic, missing_docs)]

pub mod common {
    pub mod v1 {
        tonic::include_proto!("common.v1");
    }
}

pub mod reservation {
    pub mod v1 {
        tonic::include_proto!("reservation.v1");
    }
}

pub mod payment {
    pub mod v1 {
        tonic::include_proto!("payment.v1");
    }
}

/// The encoded descriptor set of every contract, for gRPC server reflection.
pub const FILE_DESCRIPTOR_SET: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/descriptor.bin"));
