/**
 * @module
 * Names the ME generator draws from: subsystems with realistic folder trees,
 * histogram base names and summary-map labels, modelled on CMS DQM files.
 */

/** A top-level DQM folder, its subfolders and the labels of its summary map. */
export interface SubsystemDef {
  name: string;
  folders: string[];
  /** reportSummaryMap x and y bin labels. */
  mapX: string[];
  mapY: string[];
  /** Parts with a reportSummaryContents Float each. */
  parts: string[];
}

const range = (prefix: string, from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `${prefix}${from + i}`);

/** The subsystems, in generation order. */
export const SUBSYSTEMS: SubsystemDef[] = [
  {
    name: "PixelPhase1",
    folders: [
      "Tracks",
      "Phase1_MechanicalView/PXBarrel",
      "Phase1_MechanicalView/PXForward",
      "ClusterShape",
    ],
    mapX: ["Layer1", "Layer2", "Layer3", "Layer4", "Ring1", "Ring2"],
    mapY: ["Digis", "Clusters", "Hits", "Residuals"],
    parts: ["PixelBarrelFraction", "PixelEndcapFraction"],
  },
  {
    name: "SiStrip",
    folders: [
      "MechanicalView/TIB/layer_1",
      "MechanicalView/TOB/layer_3",
      "MechanicalView/TEC/PLUS/wheel_2",
      "ReadoutView/FedMonitoringSummary",
    ],
    mapX: ["TECB", "TECF", "TIB", "TIDB", "TIDF", "TOB"],
    mapY: range("layer ", 1, 9),
    parts: ["SiStrip_TECB", "SiStrip_TECF", "SiStrip_TIB", "SiStrip_TOB"],
  },
  {
    name: "Tracking",
    folders: [
      "TrackParameters/generalTracks/GeneralProperties",
      "TrackParameters/highPurityTracks/pt_1/HitProperties",
      "PrimaryVertices",
    ],
    mapX: ["Rate", "Chi2", "RecHits", "Offline"],
    mapY: ["Tracks"],
    parts: ["TrackRate", "TrackChi2", "TrackRecHits"],
  },
  {
    name: "EcalBarrel",
    folders: ["EBOccupancyTask", "EBTimingTask", "EBSummaryClient"],
    mapX: range("EB-", 1, 18).concat(range("EB+", 1, 18)),
    mapY: ["Status"],
    parts: ["EB-01", "EB+01"],
  },
  {
    name: "Hcal",
    folders: ["DigiTask/Occupancy/depth", "RecHitTask/Energy/Subdet", "TPTask/EtEmul"],
    mapX: ["HB", "HE", "HF", "HO"],
    mapY: ["Digi", "RecHit", "TP", "RAW"],
    parts: ["Hcal_HB", "Hcal_HE", "Hcal_HF", "Hcal_HO"],
  },
  {
    name: "CSC",
    folders: ["CSCOfflineMonitor/Occupancy", "CSCOfflineMonitor/Segments", "Summary"],
    mapX: range("", 1, 36),
    mapY: [
      "ME-4/2",
      "ME-4/1",
      "ME-3/2",
      "ME-3/1",
      "ME-2/2",
      "ME-2/1",
      "ME-1/3",
      "ME-1/2",
      "ME-1/1",
      "ME+1/1",
      "ME+1/2",
      "ME+1/3",
      "ME+2/1",
      "ME+2/2",
      "ME+3/1",
      "ME+3/2",
      "ME+4/1",
      "ME+4/2",
    ],
    parts: ["CSC_SideMinus", "CSC_SidePlus"],
  },
  {
    name: "DT",
    folders: ["02-Segments/Wheel0", "03-LocalTrigger-TM/Wheel1", "01-Digi"],
    mapX: range("Wheel", -2, 2),
    mapY: range("Sector", 1, 12),
    parts: ["DT_Wheel-2", "DT_Wheel0", "DT_Wheel2"],
  },
  {
    name: "RPC",
    folders: ["AllHits/Barrel", "Muon/SummaryHistograms"],
    mapX: range("Wheel", -2, 2).concat(range("Disk", -4, 4)),
    mapY: range("Sec", 1, 12),
    parts: ["RPC_Wheel0", "RPC_Disk1"],
  },
  {
    name: "GEM",
    folders: ["Digis", "RecHits", "Efficiency/GEMCSCSegment"],
    mapX: range("Chamber ", 1, 36),
    mapY: ["GE11-M-L1", "GE11-M-L2", "GE11-P-L1", "GE11-P-L2"],
    parts: ["GE11-M", "GE11-P"],
  },
  {
    name: "L1T",
    folders: ["L1TStage2uGT", "L1TStage2CaloLayer2/Central-Jets", "L1TStage2BMTF"],
    mapX: ["uGT", "CaloL2", "BMTF", "OMTF", "EMTF", "uGMT"],
    mapY: ["Status"],
    parts: ["L1T_uGT", "L1T_CaloL2"],
  },
  {
    name: "HLT",
    folders: ["EGM/TrigObjTnpSource", "Muon/Distributions", "JME/Jets"],
    mapX: ["Egamma", "Muon", "Jet", "MET", "Tau"],
    mapY: ["Paths"],
    parts: ["HLT_Egamma", "HLT_Muon"],
  },
  {
    name: "JetMET",
    folders: ["Jet/Cleanedak4PFJetsCHS", "MET/pfMet/Cleaned"],
    mapX: ["PFJets", "CaloJets", "PFMET", "CaloMET"],
    mapY: ["Barrel", "Endcap", "Forward"],
    parts: ["JetMET_PFJets", "JetMET_MET"],
  },
  {
    name: "Egamma",
    folders: ["Electrons/Ele2_All", "Photons/AllPhotons/Et above 20 GeV"],
    mapX: ["Electrons", "Photons"],
    mapY: ["EB", "EE"],
    parts: ["Egamma_Electrons", "Egamma_Photons"],
  },
  {
    name: "BeamMonitor",
    folders: ["Fit", "PrimaryVertex"],
    mapX: ["x0", "y0", "z0", "sigmaZ"],
    mapY: ["Fit"],
    parts: ["BeamSpot"],
  },
  {
    name: "Muons",
    folders: ["MuonRecoAnalyzer", "MuonIdDQM/GlobalMuons"],
    mapX: ["GLB", "STA", "TRK"],
    mapY: ["Kinematics", "Chi2", "Residuals"],
    parts: ["Muons_GLB", "Muons_STA"],
  },
];

/** 1D quantities: name, title, axis title, range and shape. */
export const QUANTITIES_1D = [
  { name: "pt", title: "Transverse momentum", axis: "p_{T} [GeV]", min: 0, max: 100, shape: "exp" },
  { name: "eta", title: "Pseudorapidity", axis: "#eta", min: -2.5, max: 2.5, shape: "gaus" },
  { name: "phi", title: "Azimuth", axis: "#phi [rad]", min: -3.1416, max: 3.1416, shape: "flat" },
  { name: "chi2oNDF", title: "#chi^{2}/ndf", axis: "#chi^{2}/ndf", min: 0, max: 10, shape: "exp" },
  { name: "nHits", title: "Number of hits", axis: "hits", min: -0.5, max: 39.5, shape: "gaus" },
  { name: "charge", title: "Cluster charge", axis: "charge [e]", min: 0, max: 600, shape: "gaus" },
  { name: "residualX", title: "Residual x", axis: "x [#mum]", min: -200, max: 200, shape: "gaus" },
  { name: "time", title: "Hit time", axis: "t [ns]", min: -25, max: 25, shape: "gaus" },
  { name: "energy", title: "Energy", axis: "E [GeV]", min: 0, max: 200, shape: "exp" },
  { name: "clusterSize", title: "Cluster size", axis: "pixels", min: 0.5, max: 30.5, shape: "exp" },
  {
    name: "dxy",
    title: "Transverse impact parameter",
    axis: "d_{xy} [cm]",
    min: -0.5,
    max: 0.5,
    shape: "gaus",
  },
  {
    name: "nVertices",
    title: "Number of vertices",
    axis: "vertices",
    min: -0.5,
    max: 79.5,
    shape: "gaus",
  },
] as const;

/** Variable bin edges used by some 1D MEs (a pT spectrum binning). */
export const PT_EDGES = [0, 1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50, 70, 100, 150, 200];

/** Error categories for labelled 1D MEs. */
export const ERROR_LABELS = [
  "OK",
  "Timeout",
  "Overflow",
  "BadCRC",
  "SyncError",
  "FIFOFull",
  "BXMismatch",
  "Unknown",
];

/** Quality tests commonly attached to DQM MEs. */
export const QTESTS = [
  { name: "ContentsXRange", algorithm: "ContentsXRange" },
  { name: "MeanWithinExpected", algorithm: "MeanWithinExpected" },
  { name: "NoisyChannel", algorithm: "NoisyChannel" },
  { name: "DeadChannel", algorithm: "DeadChannel" },
  { name: "Comp2RefChi2", algorithm: "Comp2RefChi2" },
] as const;

/** Host names for the hostName scalar. */
export const HOSTS = ["dqm-c2d07-11", "dqm-c2d07-12", "bu-c2f13-25-01", "lxplus755.cern.ch"];
