; ModuleID = 'ck_runtime.c'
source_filename = "ck_runtime.c"
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-unknown-linux-gnu"

%union.pthread_mutex_t = type { %struct.__pthread_mutex_s }
%struct.__pthread_mutex_s = type { i32, i32, i32, i32, i32, i16, i16, %struct.__pthread_internal_list }
%struct.__pthread_internal_list = type { ptr, ptr }
%struct.timespec = type { i64, i64 }
%struct.ck_prof_record = type { i64, i64, i64, i64 }
%struct.stat = type { i64, i64, i64, i32, i32, i32, i32, i64, i64, i64, i64, %struct.timespec, %struct.timespec, %struct.timespec, [3 x i64] }
%union.pthread_attr_t = type { i64, [48 x i8] }
%struct.ck_barrier_state = type { i32, i32, i32, i32 }
%struct.probe_arg = type { ptr, i64, i32, i64, ptr, double }
%struct.peak_arg = type { i32, double, ptr, double, double, float }
%struct.thread_state = type { ptr, %struct.prof_log }
%struct.prof_log = type { ptr, i64, ptr, ptr, i64, i64 }

@.str = private unnamed_addr constant [60 x i8] c"threads, context_len, max_tokens and slots must be positive\00", align 1
@.str.1 = private unnamed_addr constant [41 x i8] c"this libmodel.so was not compiled for %s\00", align 1
@.str.2 = private unnamed_addr constant [9 x i8] c"training\00", align 1
@.str.3 = private unnamed_addr constant [10 x i8] c"inference\00", align 1
@.str.4 = private unnamed_addr constant [53 x i8] c"this libmodel.so was not compiled for %lld sequences\00", align 1
@.str.5 = private unnamed_addr constant [14 x i8] c"out of memory\00", align 1
@.str.6 = private unnamed_addr constant [19 x i8] c"cannot open %s: %s\00", align 1
@.str.7 = private unnamed_addr constant [35 x i8] c"%s holds %lld bytes, expected %lld\00", align 1
@.str.8 = private unnamed_addr constant [49 x i8] c"cannot allocate %lld bytes for the weights of %s\00", align 1
@.str.9 = private unnamed_addr constant [19 x i8] c"cannot read %s: %s\00", align 1
@.str.10 = private unnamed_addr constant [12 x i8] c"file shrank\00", align 1
@.str.11 = private unnamed_addr constant [57 x i8] c"cannot allocate %lld bytes of arena and %lld of KV cache\00", align 1
@.str.12 = private unnamed_addr constant [25 x i8] c"cannot start thread %lld\00", align 1
@.str.13 = private unnamed_addr constant [48 x i8] c"cannot create a thread key (pthread_key_create)\00", align 1
@sessions_open = internal global i64 0, align 8
@state_key = internal global i32 0, align 4
@state_key_lock = internal global %union.pthread_mutex_t zeroinitializer, align 8

; Function Attrs: nounwind uwtable
define dso_local void @ck_barrier() local_unnamed_addr #0 {
  %1 = load atomic i64, ptr @sessions_open seq_cst, align 8
  %2 = icmp sgt i64 %1, 0
  br i1 %2, label %3, label %35

3:                                                ; preds = %0
  %4 = load i32, ptr @state_key, align 4, !tbaa !4
  %5 = tail call ptr @pthread_getspecific(i32 noundef %4) #18
  %6 = icmp eq ptr %5, null
  br i1 %6, label %35, label %7

7:                                                ; preds = %3
  %8 = load ptr, ptr %5, align 8, !tbaa !8
  %9 = getelementptr inbounds nuw i8, ptr %8, i64 8
  %10 = load i32, ptr %9, align 4, !tbaa !16
  %11 = icmp slt i32 %10, 2
  br i1 %11, label %35, label %12

12:                                               ; preds = %7
  %13 = getelementptr inbounds nuw i8, ptr %8, i64 4
  %14 = load atomic i32, ptr %13 monotonic, align 4
  %15 = atomicrmw add ptr %8, i32 1 acq_rel, align 4
  %16 = load i32, ptr %9, align 4, !tbaa !16
  %17 = add nsw i32 %16, -1
  %18 = icmp eq i32 %15, %17
  br i1 %18, label %22, label %19

19:                                               ; preds = %12
  %20 = load atomic i32, ptr %13 acquire, align 4
  %21 = icmp eq i32 %20, %14
  br i1 %21, label %25, label %35

22:                                               ; preds = %12
  store atomic i32 0, ptr %8 monotonic, align 4
  %23 = icmp eq i32 %14, 0
  %24 = zext i1 %23 to i32
  store atomic i32 %24, ptr %13 release, align 4
  br label %35

25:                                               ; preds = %19, %31
  %26 = phi i32 [ %32, %31 ], [ 0, %19 ]
  %27 = icmp samesign ult i32 %26, 4096
  br i1 %27, label %28, label %29

28:                                               ; preds = %25
  tail call void @llvm.x86.sse2.pause()
  br label %31

29:                                               ; preds = %25
  %30 = tail call i32 @sched_yield() #18
  br label %31

31:                                               ; preds = %29, %28
  %32 = add nuw nsw i32 %26, 1
  %33 = load atomic i32, ptr %13 acquire, align 4
  %34 = icmp eq i32 %33, %14
  br i1 %34, label %25, label %35, !llvm.loop !18

35:                                               ; preds = %31, %0, %22, %19, %7, %3
  ret void
}

; Function Attrs: mustprogress nocallback nofree nosync nounwind willreturn memory(argmem: readwrite)
declare void @llvm.lifetime.start.p0(ptr captures(none)) #1

; Function Attrs: mustprogress nocallback nofree nosync nounwind willreturn memory(argmem: readwrite)
declare void @llvm.lifetime.end.p0(ptr captures(none)) #1

; Function Attrs: nounwind uwtable
define dso_local void @ck_prof_begin(i64 noundef %0, i64 noundef %1) local_unnamed_addr #0 {
  %3 = alloca %struct.timespec, align 8
  %4 = load atomic i64, ptr @sessions_open seq_cst, align 8
  %5 = icmp sgt i64 %4, 0
  br i1 %5, label %6, label %18

6:                                                ; preds = %2
  %7 = load i32, ptr @state_key, align 4, !tbaa !4
  %8 = tail call ptr @pthread_getspecific(i32 noundef %7) #18
  %9 = icmp eq ptr %8, null
  br i1 %9, label %18, label %10

10:                                               ; preds = %6
  call void @llvm.lifetime.start.p0(ptr nonnull %3) #18
  %11 = call i32 @clock_gettime(i32 noundef 1, ptr noundef nonnull %3) #18
  %12 = load i64, ptr %3, align 8, !tbaa !20
  %13 = mul nsw i64 %12, 1000000000
  %14 = getelementptr inbounds nuw i8, ptr %3, i64 8
  %15 = load i64, ptr %14, align 8, !tbaa !22
  %16 = add nsw i64 %13, %15
  call void @llvm.lifetime.end.p0(ptr nonnull %3) #18
  %17 = getelementptr inbounds nuw i8, ptr %8, i64 48
  store i64 %16, ptr %17, align 8, !tbaa !23
  br label %18

18:                                               ; preds = %2, %10, %6
  ret void
}

; Function Attrs: nounwind uwtable
define dso_local i64 @ck_now_ns() local_unnamed_addr #0 {
  %1 = alloca %struct.timespec, align 8
  call void @llvm.lifetime.start.p0(ptr nonnull %1) #18
  %2 = call i32 @clock_gettime(i32 noundef 1, ptr noundef nonnull %1) #18
  %3 = load i64, ptr %1, align 8, !tbaa !20
  %4 = mul nsw i64 %3, 1000000000
  %5 = getelementptr inbounds nuw i8, ptr %1, i64 8
  %6 = load i64, ptr %5, align 8, !tbaa !22
  %7 = add nsw i64 %4, %6
  call void @llvm.lifetime.end.p0(ptr nonnull %1) #18
  ret i64 %7
}

; Function Attrs: nounwind uwtable
define dso_local void @ck_prof_end(i64 noundef %0, i64 noundef %1) local_unnamed_addr #0 {
  %3 = alloca %struct.timespec, align 8
  call void @llvm.lifetime.start.p0(ptr nonnull %3) #18
  %4 = call i32 @clock_gettime(i32 noundef 1, ptr noundef nonnull %3) #18
  %5 = load i64, ptr %3, align 8, !tbaa !20
  %6 = mul nsw i64 %5, 1000000000
  %7 = getelementptr inbounds nuw i8, ptr %3, i64 8
  %8 = load i64, ptr %7, align 8, !tbaa !22
  %9 = add nsw i64 %6, %8
  call void @llvm.lifetime.end.p0(ptr nonnull %3) #18
  %10 = load atomic i64, ptr @sessions_open seq_cst, align 8
  %11 = icmp sgt i64 %10, 0
  br i1 %11, label %12, label %39

12:                                               ; preds = %2
  %13 = load i32, ptr @state_key, align 4, !tbaa !4
  %14 = call ptr @pthread_getspecific(i32 noundef %13) #18
  %15 = icmp eq ptr %14, null
  br i1 %15, label %39, label %16

16:                                               ; preds = %12
  %17 = getelementptr inbounds nuw i8, ptr %14, i64 8
  %18 = load ptr, ptr %17, align 8, !tbaa !24
  %19 = icmp eq ptr %18, null
  br i1 %19, label %39, label %20

20:                                               ; preds = %16
  %21 = getelementptr inbounds nuw i8, ptr %14, i64 24
  %22 = load ptr, ptr %21, align 8, !tbaa !25
  %23 = load i64, ptr %22, align 8, !tbaa !26
  %24 = getelementptr inbounds nuw i8, ptr %14, i64 16
  %25 = load i64, ptr %24, align 8, !tbaa !27
  %26 = icmp slt i64 %23, %25
  br i1 %26, label %27, label %34

27:                                               ; preds = %20
  %28 = add nsw i64 %23, 1
  store i64 %28, ptr %22, align 8, !tbaa !26
  %29 = getelementptr inbounds %struct.ck_prof_record, ptr %18, i64 %23
  %30 = getelementptr inbounds nuw i8, ptr %14, i64 40
  %31 = getelementptr inbounds nuw i8, ptr %29, i64 8
  %32 = load <2 x i64>, ptr %30, align 8, !tbaa !26
  store i64 %0, ptr %29, align 8, !tbaa !26
  store <2 x i64> %32, ptr %31, align 8, !tbaa !26
  %33 = getelementptr inbounds nuw i8, ptr %29, i64 24
  store i64 %9, ptr %33, align 8, !tbaa !26
  br label %39

34:                                               ; preds = %20
  %35 = getelementptr inbounds nuw i8, ptr %14, i64 32
  %36 = load ptr, ptr %35, align 8, !tbaa !28
  %37 = load i64, ptr %36, align 8, !tbaa !26
  %38 = add nsw i64 %37, 1
  store i64 %38, ptr %36, align 8, !tbaa !26
  br label %39

39:                                               ; preds = %2, %27, %34, %12, %16
  ret void
}

; Function Attrs: mustprogress nocallback nofree nounwind willreturn memory(argmem: readwrite)
declare void @llvm.memcpy.p0.p0.i64(ptr noalias writeonly captures(none), ptr noalias readonly captures(none), i64, i1 immarg) #2

; Function Attrs: mustprogress nofree norecurse nosync nounwind willreturn memory(argmem: readwrite) uwtable
define dso_local i64 @ck_profile_attach(ptr noundef captures(none) initializes((312, 336)) %0, ptr noundef %1, i64 noundef %2, ptr noundef %3) local_unnamed_addr #3 {
  %5 = getelementptr inbounds nuw i8, ptr %0, i64 336
  %6 = load i64, ptr %5, align 8, !tbaa !29
  %7 = icmp sgt i64 %2, 0
  %8 = select i1 %7, ptr %1, ptr null
  %9 = getelementptr inbounds nuw i8, ptr %0, i64 312
  store ptr %8, ptr %9, align 8, !tbaa !36
  %10 = getelementptr inbounds nuw i8, ptr %0, i64 320
  store i64 %2, ptr %10, align 8, !tbaa !37
  %11 = getelementptr inbounds nuw i8, ptr %0, i64 328
  store ptr %3, ptr %11, align 8, !tbaa !38
  store i64 0, ptr %5, align 8, !tbaa !29
  %12 = icmp eq ptr %8, null
  br i1 %12, label %18, label %13

13:                                               ; preds = %4
  %14 = getelementptr inbounds nuw i8, ptr %0, i64 64
  %15 = load i32, ptr %14, align 8, !tbaa !39
  %16 = sext i32 %15 to i64
  %17 = shl nsw i64 %16, 4
  tail call void @llvm.memset.p0.i64(ptr align 8 %3, i8 0, i64 %17, i1 false)
  br label %18

18:                                               ; preds = %13, %4
  ret i64 %6
}

; Function Attrs: mustprogress nocallback nofree nounwind willreturn memory(argmem: write)
declare void @llvm.memset.p0.i64(ptr writeonly captures(none), i8, i64, i1 immarg) #4

; Function Attrs: nounwind
declare i32 @clock_gettime(i32 noundef, ptr noundef) local_unnamed_addr #5

; Function Attrs: nounwind uwtable
define dso_local noundef ptr @ck_open(ptr noundef readonly captures(none) %0, ptr noundef writeonly captures(none) %1, i64 noundef %2) local_unnamed_addr #0 {
  %4 = alloca %struct.stat, align 8
  %5 = alloca %union.pthread_attr_t, align 8
  %6 = getelementptr inbounds nuw i8, ptr %0, i64 64
  %7 = load i32, ptr %6, align 8, !tbaa !40
  %8 = icmp slt i32 %7, 1
  br i1 %8, label %21, label %9

9:                                                ; preds = %3
  %10 = getelementptr inbounds nuw i8, ptr %0, i64 40
  %11 = load i64, ptr %10, align 8, !tbaa !41
  %12 = icmp slt i64 %11, 1
  br i1 %12, label %21, label %13

13:                                               ; preds = %9
  %14 = getelementptr inbounds nuw i8, ptr %0, i64 48
  %15 = load i64, ptr %14, align 8, !tbaa !42
  %16 = icmp slt i64 %15, 1
  br i1 %16, label %21, label %17

17:                                               ; preds = %13
  %18 = getelementptr inbounds nuw i8, ptr %0, i64 72
  %19 = load i64, ptr %18, align 8, !tbaa !43
  %20 = icmp slt i64 %19, 1
  br i1 %20, label %21, label %23

21:                                               ; preds = %17, %13, %9, %3
  %22 = tail call i32 (ptr, i64, ptr, ...) @snprintf(ptr noundef %1, i64 noundef %2, ptr noundef nonnull @.str) #18
  br label %215

23:                                               ; preds = %17
  %24 = getelementptr inbounds nuw i8, ptr %0, i64 68
  %25 = load i32, ptr %24, align 4, !tbaa !44
  %26 = icmp eq i32 %25, 0
  br i1 %26, label %31, label %27

27:                                               ; preds = %23
  %28 = icmp ne ptr @ck_train_step, null
  %29 = icmp ne ptr @ck_adamw_step, null
  %30 = and i1 %28, %29
  br i1 %30, label %38, label %35

31:                                               ; preds = %23
  %32 = icmp ne ptr @ck_decode, null
  %33 = icmp ne ptr @ck_prefill, null
  %34 = and i1 %32, %33
  br i1 %34, label %38, label %35

35:                                               ; preds = %31, %27
  %36 = phi ptr [ @.str.3, %31 ], [ @.str.2, %27 ]
  %37 = tail call i32 (ptr, i64, ptr, ...) @snprintf(ptr noundef %1, i64 noundef %2, ptr noundef nonnull @.str.1, ptr noundef nonnull %36) #18
  br label %215

38:                                               ; preds = %31, %27
  %39 = icmp eq i64 %19, 1
  br i1 %39, label %46, label %40

40:                                               ; preds = %38
  %41 = icmp eq ptr @ck_decode_batch, null
  %42 = icmp samesign ugt i64 %19, %15
  %43 = select i1 %41, i1 true, i1 %42
  br i1 %43, label %44, label %46

44:                                               ; preds = %40
  %45 = tail call i32 (ptr, i64, ptr, ...) @snprintf(ptr noundef %1, i64 noundef %2, ptr noundef nonnull @.str.4, i64 noundef %19) #18
  br label %215

46:                                               ; preds = %40, %38
  %47 = tail call noalias dereferenceable_or_null(352) ptr @calloc(i64 noundef 1, i64 noundef 352) #22
  %48 = icmp eq ptr %47, null
  br i1 %48, label %49, label %51

49:                                               ; preds = %46
  %50 = tail call i32 (ptr, i64, ptr, ...) @snprintf(ptr noundef %1, i64 noundef %2, ptr noundef nonnull @.str.5) #18
  br label %215

51:                                               ; preds = %46
  tail call void @llvm.memcpy.p0.p0.i64(ptr noundef nonnull align 8 dereferenceable(80) %47, ptr noundef nonnull align 8 dereferenceable(80) %0, i64 80, i1 false), !tbaa.struct !45
  %52 = load ptr, ptr %0, align 8, !tbaa !47
  %53 = tail call i32 (ptr, i32, ...) @open(ptr noundef %52, i32 noundef 0) #18
  %54 = icmp slt i32 %53, 0
  br i1 %54, label %55, label %61

55:                                               ; preds = %51
  %56 = load ptr, ptr %0, align 8, !tbaa !47
  %57 = tail call ptr @__errno_location() #23
  %58 = load i32, ptr %57, align 4, !tbaa !4
  %59 = tail call ptr @strerror(i32 noundef %58) #18
  %60 = tail call i32 (ptr, i64, ptr, ...) @snprintf(ptr noundef %1, i64 noundef %2, ptr noundef nonnull @.str.6, ptr noundef %56, ptr noundef %59) #18
  tail call void @free(ptr noundef nonnull %47) #18
  br label %215

61:                                               ; preds = %51
  call void @llvm.lifetime.start.p0(ptr nonnull %4) #18
  %62 = call i32 @fstat(i32 noundef %53, ptr noundef nonnull %4) #18
  %63 = icmp ne i32 %62, 0
  %64 = getelementptr inbounds nuw i8, ptr %4, i64 48
  %65 = load i64, ptr %64, align 8, !tbaa !48
  %66 = getelementptr inbounds nuw i8, ptr %0, i64 8
  %67 = load i64, ptr %66, align 8, !tbaa !50
  %68 = icmp slt i64 %65, %67
  %69 = select i1 %63, i1 true, i1 %68
  br i1 %69, label %70, label %74

70:                                               ; preds = %61
  %71 = load ptr, ptr %0, align 8, !tbaa !47
  %72 = tail call i32 (ptr, i64, ptr, ...) @snprintf(ptr noundef %1, i64 noundef %2, ptr noundef nonnull @.str.7, ptr noundef %71, i64 noundef %65, i64 noundef %67) #18
  %73 = tail call i32 @close(i32 noundef %53) #18
  tail call void @free(ptr noundef nonnull %47) #18
  br label %213

74:                                               ; preds = %61
  %75 = getelementptr inbounds nuw i8, ptr %47, i64 88
  %76 = tail call fastcc ptr @alloc_huge(i64 noundef %65, ptr noundef %75)
  %77 = icmp eq ptr %76, null
  br i1 %77, label %80, label %78

78:                                               ; preds = %74
  %79 = icmp eq i64 %65, 0
  br i1 %79, label %106, label %84

80:                                               ; preds = %74
  %81 = load ptr, ptr %0, align 8, !tbaa !47
  %82 = tail call i32 (ptr, i64, ptr, ...) @snprintf(ptr noundef %1, i64 noundef %2, ptr noundef nonnull @.str.8, i64 noundef %65, ptr noundef %81) #18
  %83 = tail call i32 @close(i32 noundef %53) #18
  tail call void @free(ptr noundef nonnull %47) #18
  br label %213

84:                                               ; preds = %78, %97
  %85 = phi i64 [ %98, %97 ], [ 0, %78 ]
  %86 = getelementptr inbounds nuw i8, ptr %76, i64 %85
  %87 = sub nuw i64 %65, %85
  %88 = tail call i64 @pread(i32 noundef %53, ptr noundef nonnull %86, i64 noundef %87, i64 noundef %85) #18
  %89 = icmp sgt i64 %88, 0
  br i1 %89, label %97, label %90

90:                                               ; preds = %84
  %91 = load ptr, ptr %0, align 8, !tbaa !47
  %92 = icmp slt i64 %88, 0
  br i1 %92, label %93, label %100

93:                                               ; preds = %90
  %94 = tail call ptr @__errno_location() #23
  %95 = load i32, ptr %94, align 4, !tbaa !4
  %96 = tail call ptr @strerror(i32 noundef %95) #18
  br label %100

97:                                               ; preds = %84
  %98 = add i64 %88, %85
  %99 = icmp ult i64 %98, %65
  br i1 %99, label %84, label %106, !llvm.loop !51

100:                                              ; preds = %93, %90
  %101 = phi ptr [ %96, %93 ], [ @.str.10, %90 ]
  %102 = tail call i32 (ptr, i64, ptr, ...) @snprintf(ptr noundef %1, i64 noundef %2, ptr noundef nonnull @.str.9, ptr noundef %91, ptr noundef %101) #18
  %103 = load i64, ptr %75, align 8, !tbaa !52
  %104 = tail call i32 @munmap(ptr noundef nonnull %76, i64 noundef %103) #18
  %105 = tail call i32 @close(i32 noundef %53) #18
  tail call void @free(ptr noundef %47) #18
  br label %213

106:                                              ; preds = %97, %78
  %107 = tail call i32 @close(i32 noundef %53) #18
  %108 = getelementptr inbounds nuw i8, ptr %47, i64 80
  store ptr %76, ptr %108, align 8, !tbaa !53
  %109 = getelementptr inbounds nuw i8, ptr %0, i64 16
  %110 = load i64, ptr %109, align 8, !tbaa !54
  %111 = load i32, ptr %6, align 8, !tbaa !40
  %112 = sext i32 %111 to i64
  %113 = getelementptr inbounds nuw i8, ptr %0, i64 24
  %114 = load i64, ptr %113, align 8, !tbaa !55
  %115 = mul nsw i64 %114, %112
  %116 = add nsw i64 %115, %110
  %117 = getelementptr inbounds nuw i8, ptr %47, i64 112
  store i64 %116, ptr %117, align 8, !tbaa !56
  %118 = tail call fastcc ptr @alloc_zeroed(i64 noundef %116)
  %119 = getelementptr inbounds nuw i8, ptr %47, i64 104
  store ptr %118, ptr %119, align 8, !tbaa !57
  %120 = getelementptr inbounds nuw i8, ptr %0, i64 32
  %121 = load i64, ptr %120, align 8, !tbaa !58
  %122 = getelementptr inbounds nuw i8, ptr %47, i64 96
  %123 = tail call fastcc ptr @alloc_huge(i64 noundef %121, ptr noundef %122)
  %124 = getelementptr inbounds nuw i8, ptr %47, i64 120
  store ptr %123, ptr %124, align 8, !tbaa !59
  %125 = load i64, ptr %14, align 8, !tbaa !42
  %126 = shl i64 %125, 2
  %127 = tail call fastcc ptr @alloc_zeroed(i64 noundef %126)
  %128 = getelementptr inbounds nuw i8, ptr %47, i64 152
  store ptr %127, ptr %128, align 8, !tbaa !60
  %129 = load i64, ptr %18, align 8, !tbaa !43
  %130 = shl i64 %129, 3
  %131 = tail call fastcc ptr @alloc_zeroed(i64 noundef %130)
  %132 = getelementptr inbounds nuw i8, ptr %47, i64 160
  store ptr %131, ptr %132, align 8, !tbaa !61
  %133 = load i32, ptr %24, align 4, !tbaa !44
  %134 = icmp eq i32 %133, 0
  br i1 %134, label %145, label %135

135:                                              ; preds = %106
  %136 = load i64, ptr %66, align 8, !tbaa !50
  %137 = tail call fastcc ptr @alloc_zeroed(i64 noundef %136)
  %138 = getelementptr inbounds nuw i8, ptr %47, i64 128
  store ptr %137, ptr %138, align 8, !tbaa !62
  %139 = load i64, ptr %66, align 8, !tbaa !50
  %140 = tail call fastcc ptr @alloc_zeroed(i64 noundef %139)
  %141 = getelementptr inbounds nuw i8, ptr %47, i64 136
  store ptr %140, ptr %141, align 8, !tbaa !63
  %142 = load i64, ptr %66, align 8, !tbaa !50
  %143 = tail call fastcc ptr @alloc_zeroed(i64 noundef %142)
  %144 = getelementptr inbounds nuw i8, ptr %47, i64 144
  store ptr %143, ptr %144, align 8, !tbaa !64
  br label %145

145:                                              ; preds = %135, %106
  %146 = load ptr, ptr %119, align 8, !tbaa !57
  %147 = insertelement <4 x ptr> poison, ptr %146, i64 0
  %148 = insertelement <4 x ptr> %147, ptr %123, i64 1
  %149 = insertelement <4 x ptr> %148, ptr %127, i64 2
  %150 = insertelement <4 x ptr> %149, ptr %131, i64 3
  %151 = freeze <4 x ptr> %150
  %152 = icmp eq <4 x ptr> %151, zeroinitializer
  %153 = bitcast <4 x i1> %152 to i4
  %154 = icmp eq i4 %153, 0
  br i1 %154, label %155, label %170

155:                                              ; preds = %145
  %156 = load i32, ptr %24, align 4, !tbaa !44
  %157 = icmp eq i32 %156, 0
  br i1 %157, label %174, label %158

158:                                              ; preds = %155
  %159 = getelementptr inbounds nuw i8, ptr %47, i64 128
  %160 = load ptr, ptr %159, align 8, !tbaa !62
  %161 = icmp eq ptr %160, null
  br i1 %161, label %170, label %162

162:                                              ; preds = %158
  %163 = getelementptr inbounds nuw i8, ptr %47, i64 136
  %164 = load ptr, ptr %163, align 8, !tbaa !63
  %165 = icmp eq ptr %164, null
  br i1 %165, label %170, label %166

166:                                              ; preds = %162
  %167 = getelementptr inbounds nuw i8, ptr %47, i64 144
  %168 = load ptr, ptr %167, align 8, !tbaa !64
  %169 = icmp eq ptr %168, null
  br i1 %169, label %170, label %174

170:                                              ; preds = %166, %162, %158, %145
  %171 = load i64, ptr %117, align 8, !tbaa !56
  %172 = load i64, ptr %120, align 8, !tbaa !58
  %173 = tail call i32 (ptr, i64, ptr, ...) @snprintf(ptr noundef %1, i64 noundef %2, ptr noundef nonnull @.str.11, i64 noundef %171, i64 noundef %172) #18
  tail call void @ck_close(ptr noundef nonnull %47)
  br label %213

174:                                              ; preds = %166, %155
  %175 = load i32, ptr %6, align 8, !tbaa !40
  %176 = getelementptr inbounds nuw i8, ptr %47, i64 184
  store i32 %175, ptr %176, align 8, !tbaa !65
  %177 = getelementptr inbounds nuw i8, ptr %47, i64 200
  store i32 %175, ptr %177, align 8, !tbaa !66
  %178 = sext i32 %175 to i64
  %179 = tail call noalias ptr @calloc(i64 noundef %178, i64 noundef 8) #22
  %180 = getelementptr inbounds nuw i8, ptr %47, i64 168
  store ptr %179, ptr %180, align 8, !tbaa !67
  call void @llvm.lifetime.start.p0(ptr nonnull %5) #18
  %181 = call i32 @pthread_attr_init(ptr noundef nonnull %5) #18
  %182 = call i32 @pthread_attr_setstacksize(ptr noundef nonnull %5, i64 noundef 16777216) #18
  %183 = load i32, ptr %6, align 8, !tbaa !40
  %184 = icmp sgt i32 %183, 1
  br i1 %184, label %185, label %203

185:                                              ; preds = %174, %198
  %186 = phi i64 [ %199, %198 ], [ 1, %174 ]
  %187 = call noalias dereferenceable_or_null(16) ptr @malloc(i64 noundef 16) #24
  store ptr %47, ptr %187, align 8, !tbaa !68
  %188 = getelementptr inbounds nuw i8, ptr %187, i64 8
  store i64 %186, ptr %188, align 8, !tbaa !71
  %189 = load ptr, ptr %180, align 8, !tbaa !67
  %190 = getelementptr inbounds nuw i64, ptr %189, i64 %186
  %191 = call i32 @pthread_create(ptr noundef nonnull %190, ptr noundef nonnull %5, ptr noundef nonnull @worker_main, ptr noundef nonnull %187) #18
  %192 = icmp eq i32 %191, 0
  br i1 %192, label %198, label %193

193:                                              ; preds = %185
  %194 = call i32 (ptr, i64, ptr, ...) @snprintf(ptr noundef %1, i64 noundef %2, ptr noundef nonnull @.str.12, i64 noundef %186) #18
  call void @free(ptr noundef nonnull %187) #18
  %195 = trunc i64 %186 to i32
  %196 = getelementptr inbounds nuw i8, ptr %47, i64 64
  store i32 %195, ptr %196, align 8, !tbaa !39
  store i32 %195, ptr %177, align 8, !tbaa !66
  %197 = call i32 @pthread_attr_destroy(ptr noundef nonnull %5) #18
  call void @ck_close(ptr noundef nonnull %47)
  br label %211

198:                                              ; preds = %185
  %199 = add nuw nsw i64 %186, 1
  %200 = load i32, ptr %6, align 8, !tbaa !40
  %201 = sext i32 %200 to i64
  %202 = icmp slt i64 %199, %201
  br i1 %202, label %185, label %203, !llvm.loop !72

203:                                              ; preds = %198, %174
  %204 = call i32 @pthread_attr_destroy(ptr noundef nonnull %5) #18
  %205 = call fastcc i32 @retain_state_key()
  %206 = icmp eq i32 %205, 0
  br i1 %206, label %209, label %207

207:                                              ; preds = %203
  %208 = call i32 (ptr, i64, ptr, ...) @snprintf(ptr noundef %1, i64 noundef %2, ptr noundef nonnull @.str.13) #18
  call void @ck_close(ptr noundef nonnull %47)
  br label %211

209:                                              ; preds = %203
  %210 = getelementptr inbounds nuw i8, ptr %47, i64 344
  store i32 1, ptr %210, align 8, !tbaa !73
  br label %211

211:                                              ; preds = %193, %209, %207
  %212 = phi ptr [ null, %207 ], [ %47, %209 ], [ null, %193 ]
  call void @llvm.lifetime.end.p0(ptr nonnull %5) #18
  br label %213

213:                                              ; preds = %100, %80, %170, %211, %70
  %214 = phi ptr [ null, %70 ], [ %212, %211 ], [ null, %170 ], [ null, %100 ], [ null, %80 ]
  call void @llvm.lifetime.end.p0(ptr nonnull %4) #18
  br label %215

215:                                              ; preds = %49, %213, %55, %44, %35, %21
  %216 = phi ptr [ null, %21 ], [ null, %44 ], [ null, %35 ], [ null, %49 ], [ null, %55 ], [ %214, %213 ]
  ret ptr %216
}

; Function Attrs: nofree nounwind
declare noundef i32 @snprintf(ptr noalias noundef writeonly captures(none), i64 noundef, ptr noundef readonly captures(none), ...) local_unnamed_addr #6

declare extern_weak void @ck_train_step(ptr noundef, ptr noundef, ptr noundef, ptr noundef, ptr noundef, i64 noundef, ptr noundef, i64 noundef, ptr noundef, i64 noundef, i64 noundef, i64 noundef) #7

declare extern_weak void @ck_adamw_step(ptr noundef, i64 noundef, ptr noundef, i64 noundef, ptr noundef, i64 noundef, ptr noundef, i64 noundef, i64 noundef, float noundef, float noundef, float noundef, float noundef, float noundef, i64 noundef, i64 noundef) #7

declare extern_weak void @ck_decode(ptr noundef, ptr noundef, ptr noundef, ptr noundef, i64 noundef, ptr noundef, i64 noundef, ptr noundef, i64 noundef, i64 noundef, i64 noundef, i64 noundef) #7

declare extern_weak void @ck_prefill(ptr noundef, i64 noundef, ptr noundef, i64 noundef, ptr noundef, i64 noundef, ptr noundef, i64 noundef, ptr noundef, i64 noundef, ptr noundef, i64 noundef, i64 noundef, i64 noundef, i64 noundef) #7

declare extern_weak void @ck_decode_batch(ptr noundef, i64 noundef, ptr noundef, i64 noundef, ptr noundef, i64 noundef, ptr noundef, i64 noundef, ptr noundef, i64 noundef, ptr noundef, i64 noundef, ptr noundef, i64 noundef, i64 noundef, i64 noundef) #7

; Function Attrs: mustprogress nofree nounwind willreturn allockind("alloc,zeroed") allocsize(0,1) memory(inaccessiblemem: readwrite)
declare noalias noundef ptr @calloc(i64 noundef, i64 noundef) local_unnamed_addr #8

; Function Attrs: nofree
declare noundef i32 @open(ptr noundef readonly captures(none), i32 noundef, ...) local_unnamed_addr #9

; Function Attrs: nounwind
declare ptr @strerror(i32 noundef) local_unnamed_addr #5

; Function Attrs: mustprogress nofree nosync nounwind willreturn memory(none)
declare ptr @__errno_location() local_unnamed_addr #10

; Function Attrs: mustprogress nounwind willreturn allockind("free") memory(argmem: readwrite, inaccessiblemem: readwrite)
declare void @free(ptr allocptr noundef captures(none)) local_unnamed_addr #11

; Function Attrs: nofree nounwind
declare noundef i32 @fstat(i32 noundef, ptr noundef captures(none)) local_unnamed_addr #6

declare i32 @close(i32 noundef) local_unnamed_addr #7

; Function Attrs: nounwind uwtable
define internal fastcc ptr @alloc_huge(i64 noundef %0, ptr noundef nonnull writeonly captures(none) %1) unnamed_addr #0 {
  %3 = add i64 %0, 2097151
  %4 = and i64 %3, -2097152
  %5 = icmp eq i64 %4, 0
  %6 = select i1 %5, i64 2097152, i64 %4
  %7 = tail call ptr @mmap(ptr noundef null, i64 noundef %6, i32 noundef 3, i32 noundef 34, i32 noundef -1, i64 noundef 0) #18
  %8 = icmp eq ptr %7, inttoptr (i64 -1 to ptr)
  br i1 %8, label %11, label %9

9:                                                ; preds = %2
  %10 = tail call i32 @madvise(ptr noundef %7, i64 noundef %6, i32 noundef 14) #18
  store i64 %6, ptr %1, align 8, !tbaa !26
  br label %11

11:                                               ; preds = %2, %9
  %12 = phi ptr [ %7, %9 ], [ null, %2 ]
  ret ptr %12
}

; Function Attrs: nofree
declare noundef i64 @pread(i32 noundef, ptr noundef captures(none), i64 noundef, i64 noundef) local_unnamed_addr #9

; Function Attrs: nofree nounwind uwtable
define internal fastcc ptr @alloc_zeroed(i64 noundef %0) unnamed_addr #12 {
  %2 = alloca ptr, align 8
  call void @llvm.lifetime.start.p0(ptr nonnull %2) #18
  store ptr null, ptr %2, align 8, !tbaa !74
  %3 = add i64 %0, 63
  %4 = and i64 %3, -64
  %5 = icmp eq i64 %4, 0
  %6 = select i1 %5, i64 64, i64 %4
  %7 = call i32 @posix_memalign(ptr noundef nonnull %2, i64 noundef 64, i64 noundef %6) #18
  %8 = icmp eq i32 %7, 0
  br i1 %8, label %9, label %12

9:                                                ; preds = %1
  %10 = load ptr, ptr %2, align 8, !tbaa !74
  call void @llvm.memset.p0.i64(ptr noundef nonnull align 1 dereferenceable(1) %10, i8 0, i64 %6, i1 false)
  %11 = load ptr, ptr %2, align 8, !tbaa !74
  br label %12

12:                                               ; preds = %1, %9
  %13 = phi ptr [ %11, %9 ], [ null, %1 ]
  call void @llvm.lifetime.end.p0(ptr nonnull %2) #18
  ret ptr %13
}

; Function Attrs: nounwind uwtable
define dso_local void @ck_close(ptr noundef %0) local_unnamed_addr #0 {
  %2 = icmp eq ptr %0, null
  br i1 %2, label %70, label %3

3:                                                ; preds = %1
  %4 = getelementptr inbounds nuw i8, ptr %0, i64 168
  %5 = load ptr, ptr %4, align 8, !tbaa !67
  %6 = icmp eq ptr %5, null
  br i1 %6, label %28, label %7

7:                                                ; preds = %3
  %8 = getelementptr inbounds nuw i8, ptr %0, i64 304
  store atomic i32 1, ptr %8 seq_cst, align 8
  %9 = getelementptr inbounds nuw i8, ptr %0, i64 64
  %10 = load i32, ptr %9, align 8, !tbaa !39
  %11 = icmp sgt i32 %10, 1
  br i1 %11, label %12, label %16

12:                                               ; preds = %7
  %13 = getelementptr inbounds nuw i8, ptr %0, i64 192
  tail call fastcc void @rendezvous(ptr noundef nonnull %13)
  %14 = load i32, ptr %9, align 8, !tbaa !39
  %15 = icmp sgt i32 %14, 1
  br i1 %15, label %18, label %16

16:                                               ; preds = %18, %7, %12
  %17 = load ptr, ptr %4, align 8, !tbaa !67
  tail call void @free(ptr noundef %17) #18
  br label %28

18:                                               ; preds = %12, %18
  %19 = phi i64 [ %24, %18 ], [ 1, %12 ]
  %20 = load ptr, ptr %4, align 8, !tbaa !67
  %21 = getelementptr inbounds nuw i64, ptr %20, i64 %19
  %22 = load i64, ptr %21, align 8, !tbaa !26
  %23 = tail call i32 @pthread_join(i64 noundef %22, ptr noundef null) #18
  %24 = add nuw nsw i64 %19, 1
  %25 = load i32, ptr %9, align 8, !tbaa !39
  %26 = sext i32 %25 to i64
  %27 = icmp slt i64 %24, %26
  br i1 %27, label %18, label %16, !llvm.loop !75

28:                                               ; preds = %16, %3
  %29 = getelementptr inbounds nuw i8, ptr %0, i64 80
  %30 = load ptr, ptr %29, align 8, !tbaa !53
  %31 = icmp eq ptr %30, null
  br i1 %31, label %36, label %32

32:                                               ; preds = %28
  %33 = getelementptr inbounds nuw i8, ptr %0, i64 88
  %34 = load i64, ptr %33, align 8, !tbaa !52
  %35 = tail call i32 @munmap(ptr noundef nonnull %30, i64 noundef %34) #18
  br label %36

36:                                               ; preds = %32, %28
  %37 = getelementptr inbounds nuw i8, ptr %0, i64 128
  %38 = load ptr, ptr %37, align 8, !tbaa !62
  tail call void @free(ptr noundef %38) #18
  %39 = getelementptr inbounds nuw i8, ptr %0, i64 136
  %40 = load ptr, ptr %39, align 8, !tbaa !63
  tail call void @free(ptr noundef %40) #18
  %41 = getelementptr inbounds nuw i8, ptr %0, i64 144
  %42 = load ptr, ptr %41, align 8, !tbaa !64
  tail call void @free(ptr noundef %42) #18
  %43 = getelementptr inbounds nuw i8, ptr %0, i64 104
  %44 = load ptr, ptr %43, align 8, !tbaa !57
  tail call void @free(ptr noundef %44) #18
  %45 = getelementptr inbounds nuw i8, ptr %0, i64 120
  %46 = load ptr, ptr %45, align 8, !tbaa !59
  %47 = icmp eq ptr %46, null
  br i1 %47, label %52, label %48

48:                                               ; preds = %36
  %49 = getelementptr inbounds nuw i8, ptr %0, i64 96
  %50 = load i64, ptr %49, align 8, !tbaa !76
  %51 = tail call i32 @munmap(ptr noundef nonnull %46, i64 noundef %50) #18
  br label %52

52:                                               ; preds = %48, %36
  %53 = getelementptr inbounds nuw i8, ptr %0, i64 152
  %54 = load ptr, ptr %53, align 8, !tbaa !60
  tail call void @free(ptr noundef %54) #18
  %55 = getelementptr inbounds nuw i8, ptr %0, i64 160
  %56 = load ptr, ptr %55, align 8, !tbaa !61
  tail call void @free(ptr noundef %56) #18
  %57 = getelementptr inbounds nuw i8, ptr %0, i64 344
  %58 = load i32, ptr %57, align 8, !tbaa !73
  %59 = icmp eq i32 %58, 0
  br i1 %59, label %69, label %60

60:                                               ; preds = %52
  %61 = tail call i32 @pthread_mutex_lock(ptr noundef nonnull @state_key_lock) #18
  %62 = atomicrmw sub ptr @sessions_open, i64 1 seq_cst, align 8
  %63 = icmp eq i64 %62, 1
  br i1 %63, label %64, label %67

64:                                               ; preds = %60
  %65 = load i32, ptr @state_key, align 4, !tbaa !4
  %66 = tail call i32 @pthread_key_delete(i32 noundef %65) #18
  br label %67

67:                                               ; preds = %60, %64
  %68 = tail call i32 @pthread_mutex_unlock(ptr noundef nonnull @state_key_lock) #18
  br label %69

69:                                               ; preds = %67, %52
  tail call void @free(ptr noundef nonnull %0) #18
  br label %70

70:                                               ; preds = %1, %69
  ret void
}

; Function Attrs: nounwind
declare i32 @pthread_attr_init(ptr noundef) local_unnamed_addr #5

; Function Attrs: nounwind
declare i32 @pthread_attr_setstacksize(ptr noundef, i64 noundef) local_unnamed_addr #5

; Function Attrs: mustprogress nofree nounwind willreturn allockind("alloc,uninitialized") allocsize(0) memory(inaccessiblemem: readwrite)
declare noalias noundef ptr @malloc(i64 noundef) local_unnamed_addr #13

; Function Attrs: nounwind
declare i32 @pthread_create(ptr noundef, ptr noundef, ptr noundef, ptr noundef) local_unnamed_addr #5

; Function Attrs: nounwind uwtable
define internal noalias noundef ptr @worker_main(ptr noundef captures(none) %0) #0 {
  %2 = load ptr, ptr %0, align 8, !tbaa !77
  %3 = getelementptr inbounds nuw i8, ptr %0, i64 8
  %4 = load i64, ptr %3, align 8, !tbaa !26
  tail call void @free(ptr noundef %0) #18
  %5 = getelementptr inbounds nuw i8, ptr %2, i64 192
  tail call fastcc void @rendezvous(ptr noundef nonnull %5)
  %6 = getelementptr inbounds nuw i8, ptr %2, i64 304
  %7 = load atomic i32, ptr %6 seq_cst, align 8
  %8 = icmp eq i32 %7, 0
  br i1 %8, label %10, label %9

9:                                                ; preds = %10, %1
  ret ptr null

10:                                               ; preds = %1, %10
  tail call fastcc void @run_job(ptr noundef nonnull %2, i64 noundef %4)
  tail call fastcc void @rendezvous(ptr noundef nonnull %5)
  tail call fastcc void @rendezvous(ptr noundef nonnull %5)
  %11 = load atomic i32, ptr %6 seq_cst, align 8
  %12 = icmp eq i32 %11, 0
  br i1 %12, label %10, label %9
}

; Function Attrs: nounwind
declare i32 @pthread_attr_destroy(ptr noundef) local_unnamed_addr #5

; Function Attrs: nounwind uwtable
define internal fastcc i32 @retain_state_key() unnamed_addr #0 {
  %1 = tail call i32 @pthread_mutex_lock(ptr noundef nonnull @state_key_lock) #18
  %2 = load atomic i64, ptr @sessions_open seq_cst, align 8
  %3 = icmp eq i64 %2, 0
  br i1 %3, label %4, label %7

4:                                                ; preds = %0
  %5 = tail call i32 @pthread_key_create(ptr noundef nonnull @state_key, ptr noundef null) #18
  %6 = icmp eq i32 %5, 0
  br i1 %6, label %7, label %9

7:                                                ; preds = %0, %4
  %8 = atomicrmw add ptr @sessions_open, i64 1 seq_cst, align 8
  br label %9

9:                                                ; preds = %7, %4
  %10 = phi i32 [ 0, %7 ], [ %5, %4 ]
  %11 = tail call i32 @pthread_mutex_unlock(ptr noundef nonnull @state_key_lock) #18
  ret i32 %10
}

; Function Attrs: nounwind uwtable
define dso_local range(i32 0, 3) i32 @ck_forward_slot(ptr noundef %0, i64 noundef %1, ptr noundef %2, i64 noundef %3, ptr noundef %4, i32 noundef %5) local_unnamed_addr #0 {
  %7 = icmp slt i64 %1, 0
  br i1 %7, label %108, label %8

8:                                                ; preds = %6
  %9 = getelementptr inbounds nuw i8, ptr %0, i64 72
  %10 = load i64, ptr %9, align 8, !tbaa !78
  %11 = icmp sge i64 %1, %10
  %12 = icmp slt i64 %3, 0
  %13 = or i1 %12, %11
  br i1 %13, label %108, label %14

14:                                               ; preds = %8
  %15 = icmp eq i64 %3, 0
  br i1 %15, label %29, label %16

16:                                               ; preds = %14
  %17 = icmp ne ptr %2, null
  %18 = icmp ne ptr %4, null
  %19 = and i1 %17, %18
  br i1 %19, label %20, label %108

20:                                               ; preds = %16
  %21 = getelementptr inbounds nuw i8, ptr %0, i64 160
  %22 = load ptr, ptr %21, align 8, !tbaa !61
  %23 = getelementptr inbounds nuw i64, ptr %22, i64 %1
  %24 = load i64, ptr %23, align 8, !tbaa !26
  %25 = add nsw i64 %24, %3
  %26 = getelementptr inbounds nuw i8, ptr %0, i64 40
  %27 = load i64, ptr %26, align 8, !tbaa !79
  %28 = icmp sgt i64 %25, %27
  br i1 %28, label %108, label %38

29:                                               ; preds = %14
  %30 = getelementptr inbounds nuw i8, ptr %0, i64 160
  %31 = load ptr, ptr %30, align 8, !tbaa !61
  %32 = getelementptr inbounds nuw i64, ptr %31, i64 %1
  %33 = load i64, ptr %32, align 8, !tbaa !26
  %34 = getelementptr inbounds nuw i8, ptr %0, i64 40
  %35 = load i64, ptr %34, align 8, !tbaa !79
  %36 = icmp sgt i64 %33, %35
  %37 = zext i1 %36 to i32
  br label %108

38:                                               ; preds = %20
  %39 = getelementptr inbounds nuw i8, ptr %0, i64 48
  %40 = getelementptr inbounds nuw i8, ptr %0, i64 56
  %41 = icmp eq i32 %5, 0
  %42 = getelementptr inbounds nuw i8, ptr %0, i64 152
  %43 = getelementptr inbounds nuw i8, ptr %0, i64 208
  %44 = getelementptr inbounds nuw i8, ptr %0, i64 216
  %45 = getelementptr inbounds nuw i8, ptr %0, i64 224
  %46 = getelementptr inbounds nuw i8, ptr %0, i64 240
  %47 = getelementptr inbounds nuw i8, ptr %0, i64 248
  %48 = getelementptr inbounds nuw i8, ptr %0, i64 256
  %49 = getelementptr inbounds nuw i8, ptr %0, i64 264
  %50 = getelementptr inbounds nuw i8, ptr %0, i64 272
  %51 = getelementptr inbounds nuw i8, ptr %0, i64 192
  %52 = getelementptr inbounds nuw i8, ptr %0, i64 336
  br label %53

53:                                               ; preds = %38, %100
  %54 = phi i64 [ %24, %38 ], [ %106, %100 ]
  %55 = phi i64 [ 0, %38 ], [ %61, %100 ]
  %56 = sub nsw i64 %3, %55
  %57 = load i64, ptr %39, align 8, !tbaa !80
  %58 = tail call i64 @llvm.smin.i64(i64 %56, i64 %57)
  %59 = load i64, ptr %40, align 8, !tbaa !81
  %60 = mul nsw i64 %59, %55
  %61 = add nsw i64 %58, %55
  %62 = icmp eq i64 %61, %3
  %63 = zext i1 %62 to i64
  %64 = select i1 %41, i64 %58, i64 %63
  %65 = select i1 %41, i64 %60, i64 0
  %66 = getelementptr inbounds float, ptr %4, i64 %65
  %67 = getelementptr inbounds i32, ptr %2, i64 %55
  %68 = icmp sgt i64 %58, 0
  %69 = load ptr, ptr %42, align 8, !tbaa !60
  br i1 %68, label %70, label %100

70:                                               ; preds = %53
  %71 = icmp ult i64 %58, 8
  br i1 %71, label %91, label %72

72:                                               ; preds = %70
  %73 = and i64 %58, 9223372036854775800
  %74 = insertelement <4 x i64> poison, i64 %54, i64 0
  %75 = shufflevector <4 x i64> %74, <4 x i64> poison, <4 x i32> zeroinitializer
  %76 = add <4 x i64> splat (i64 4), %75
  br label %77

77:                                               ; preds = %77, %72
  %78 = phi i64 [ 0, %72 ], [ %86, %77 ]
  %79 = phi <4 x i64> [ <i64 0, i64 1, i64 2, i64 3>, %72 ], [ %87, %77 ]
  %80 = add nsw <4 x i64> %79, %75
  %81 = add <4 x i64> %79, %76
  %82 = trunc <4 x i64> %80 to <4 x i32>
  %83 = trunc <4 x i64> %81 to <4 x i32>
  %84 = getelementptr inbounds nuw i32, ptr %69, i64 %78
  %85 = getelementptr inbounds nuw i8, ptr %84, i64 16
  store <4 x i32> %82, ptr %84, align 4, !tbaa !4
  store <4 x i32> %83, ptr %85, align 4, !tbaa !4
  %86 = add nuw i64 %78, 8
  %87 = add <4 x i64> %79, splat (i64 8)
  %88 = icmp eq i64 %86, %73
  br i1 %88, label %89, label %77, !llvm.loop !82

89:                                               ; preds = %77
  %90 = icmp eq i64 %58, %73
  br i1 %90, label %100, label %91

91:                                               ; preds = %70, %89
  %92 = phi i64 [ 0, %70 ], [ %73, %89 ]
  br label %93

93:                                               ; preds = %91, %93
  %94 = phi i64 [ %98, %93 ], [ %92, %91 ]
  %95 = add nsw i64 %94, %54
  %96 = trunc i64 %95 to i32
  %97 = getelementptr inbounds nuw i32, ptr %69, i64 %94
  store i32 %96, ptr %97, align 4, !tbaa !4
  %98 = add nuw nsw i64 %94, 1
  %99 = icmp eq i64 %98, %58
  br i1 %99, label %100, label %93, !llvm.loop !85

100:                                              ; preds = %93, %89, %53
  store ptr %67, ptr %43, align 8, !tbaa !86
  store ptr %69, ptr %44, align 8, !tbaa !86
  tail call void @llvm.memset.p0.i64(ptr noundef nonnull align 8 dereferenceable(16) %45, i8 0, i64 16, i1 false)
  store i64 %1, ptr %46, align 8, !tbaa !26
  store ptr %66, ptr %47, align 8, !tbaa !87
  store i64 %58, ptr %48, align 8, !tbaa !26
  store i64 %64, ptr %49, align 8, !tbaa !26
  tail call void @llvm.memset.p0.i64(ptr noundef nonnull align 8 dereferenceable(32) %50, i8 0, i64 32, i1 false)
  tail call fastcc void @rendezvous(ptr noundef nonnull %51)
  tail call fastcc void @run_job(ptr noundef nonnull %0, i64 noundef 0)
  tail call fastcc void @rendezvous(ptr noundef nonnull %51)
  %101 = load i64, ptr %52, align 8, !tbaa !29
  %102 = add nsw i64 %101, 1
  store i64 %102, ptr %52, align 8, !tbaa !29
  %103 = load ptr, ptr %21, align 8, !tbaa !61
  %104 = getelementptr inbounds nuw i64, ptr %103, i64 %1
  %105 = load i64, ptr %104, align 8, !tbaa !26
  %106 = add nsw i64 %105, %58
  store i64 %106, ptr %104, align 8, !tbaa !26
  %107 = icmp slt i64 %61, %3
  br i1 %107, label %53, label %108, !llvm.loop !88

108:                                              ; preds = %100, %29, %20, %6, %8, %16
  %109 = phi i32 [ 1, %20 ], [ 2, %6 ], [ 2, %16 ], [ 2, %8 ], [ %37, %29 ], [ 0, %100 ]
  ret i32 %109
}

; Function Attrs: nounwind uwtable
define dso_local range(i32 0, 3) i32 @ck_forward(ptr noundef %0, ptr noundef %1, i64 noundef %2, ptr noundef %3, i32 noundef %4) local_unnamed_addr #0 {
  %6 = tail call i32 @ck_forward_slot(ptr noundef %0, i64 noundef 0, ptr noundef %1, i64 noundef %2, ptr noundef %3, i32 noundef %4)
  ret i32 %6
}

; Function Attrs: nounwind uwtable
define dso_local range(i32 0, 3) i32 @ck_decode_slots(ptr noundef %0, ptr noundef %1, ptr noundef %2, i64 noundef %3, ptr noundef %4) local_unnamed_addr #0 {
  %6 = icmp slt i64 %3, 1
  br i1 %6, label %189, label %7

7:                                                ; preds = %5
  %8 = getelementptr inbounds nuw i8, ptr %0, i64 72
  %9 = load i64, ptr %8, align 8, !tbaa !78
  %10 = icmp sle i64 %3, %9
  %11 = icmp ne ptr %1, null
  %12 = and i1 %11, %10
  %13 = icmp ne ptr %2, null
  %14 = and i1 %13, %12
  %15 = icmp ne ptr %4, null
  %16 = and i1 %15, %14
  br i1 %16, label %17, label %189

17:                                               ; preds = %7
  %18 = getelementptr inbounds nuw i8, ptr %0, i64 160
  %19 = getelementptr inbounds nuw i8, ptr %0, i64 40
  br label %23

20:                                               ; preds = %41
  %21 = add nuw nsw i64 %24, 1
  %22 = icmp eq i64 %21, %3
  br i1 %22, label %47, label %23, !llvm.loop !89

23:                                               ; preds = %17, %20
  %24 = phi i64 [ 0, %17 ], [ %21, %20 ]
  %25 = getelementptr inbounds nuw i32, ptr %1, i64 %24
  %26 = load i32, ptr %25, align 4, !tbaa !4
  %27 = icmp sgt i32 %26, -1
  %28 = zext nneg i32 %26 to i64
  %29 = icmp sgt i64 %9, %28
  %30 = select i1 %27, i1 %29, i1 false
  br i1 %30, label %31, label %189

31:                                               ; preds = %23
  %32 = icmp eq i64 %24, 0
  br i1 %32, label %41, label %36

33:                                               ; preds = %36
  %34 = add nuw nsw i64 %37, 1
  %35 = icmp eq i64 %34, %24
  br i1 %35, label %41, label %36, !llvm.loop !90

36:                                               ; preds = %31, %33
  %37 = phi i64 [ %34, %33 ], [ 0, %31 ]
  %38 = getelementptr inbounds nuw i32, ptr %1, i64 %37
  %39 = load i32, ptr %38, align 4, !tbaa !4
  %40 = icmp eq i32 %39, %26
  br i1 %40, label %189, label %33

41:                                               ; preds = %33, %31
  %42 = load ptr, ptr %18, align 8, !tbaa !61
  %43 = getelementptr inbounds nuw i64, ptr %42, i64 %28
  %44 = load i64, ptr %43, align 8, !tbaa !26
  %45 = load i64, ptr %19, align 8, !tbaa !79
  %46 = icmp slt i64 %44, %45
  br i1 %46, label %20, label %189

47:                                               ; preds = %20
  %48 = icmp ne i64 %3, 1
  %49 = icmp ne ptr @ck_decode_batch, null
  %50 = and i1 %49, %48
  br i1 %50, label %51, label %61

51:                                               ; preds = %47
  %52 = getelementptr inbounds nuw i8, ptr %0, i64 160
  %53 = load ptr, ptr %52, align 8, !tbaa !61
  %54 = getelementptr inbounds nuw i8, ptr %0, i64 152
  %55 = load ptr, ptr %54, align 8, !tbaa !60
  %56 = tail call i64 @llvm.smax.i64(i64 %3, i64 1)
  %57 = and i64 %56, 3
  %58 = icmp slt i64 %3, 4
  br i1 %58, label %67, label %59

59:                                               ; preds = %51
  %60 = and i64 %56, 9223372036854775804
  br label %102

61:                                               ; preds = %47
  %62 = load i32, ptr %1, align 4, !tbaa !4
  %63 = sext i32 %62 to i64
  %64 = tail call i32 @ck_forward_slot(ptr noundef nonnull %0, i64 noundef %63, ptr noundef nonnull %2, i64 noundef 1, ptr noundef nonnull %4, i32 noundef 0)
  br label %189

65:                                               ; preds = %102
  %66 = icmp eq i64 %57, 0
  br i1 %66, label %83, label %67

67:                                               ; preds = %65, %51
  %68 = phi i64 [ 0, %51 ], [ %136, %65 ]
  %69 = icmp ne i64 %57, 0
  tail call void @llvm.assume(i1 %69)
  br label %70

70:                                               ; preds = %70, %67
  %71 = phi i64 [ %68, %67 ], [ %80, %70 ]
  %72 = phi i64 [ 0, %67 ], [ %81, %70 ]
  %73 = getelementptr inbounds nuw i32, ptr %1, i64 %71
  %74 = load i32, ptr %73, align 4, !tbaa !4
  %75 = sext i32 %74 to i64
  %76 = getelementptr inbounds i64, ptr %53, i64 %75
  %77 = load i64, ptr %76, align 8, !tbaa !26
  %78 = trunc i64 %77 to i32
  %79 = getelementptr inbounds nuw i32, ptr %55, i64 %71
  store i32 %78, ptr %79, align 4, !tbaa !4
  %80 = add nuw nsw i64 %71, 1
  %81 = add i64 %72, 1
  %82 = icmp eq i64 %81, %57
  br i1 %82, label %83, label %70, !llvm.loop !91

83:                                               ; preds = %70, %65
  %84 = getelementptr inbounds nuw i8, ptr %0, i64 208
  store ptr %2, ptr %84, align 8, !tbaa !86
  %85 = getelementptr inbounds nuw i8, ptr %0, i64 216
  store ptr %55, ptr %85, align 8, !tbaa !86
  %86 = getelementptr inbounds nuw i8, ptr %0, i64 224
  store ptr null, ptr %86, align 8, !tbaa !86
  %87 = getelementptr inbounds nuw i8, ptr %0, i64 232
  store ptr %1, ptr %87, align 8, !tbaa !86
  %88 = getelementptr inbounds nuw i8, ptr %0, i64 240
  store i64 0, ptr %88, align 8, !tbaa !26
  %89 = getelementptr inbounds nuw i8, ptr %0, i64 248
  store ptr %4, ptr %89, align 8, !tbaa !87
  %90 = getelementptr inbounds nuw i8, ptr %0, i64 256
  store i64 %3, ptr %90, align 8, !tbaa !26
  %91 = getelementptr inbounds nuw i8, ptr %0, i64 264
  %92 = getelementptr inbounds nuw i8, ptr %0, i64 192
  tail call void @llvm.memset.p0.i64(ptr noundef nonnull align 8 dereferenceable(40) %91, i8 0, i64 40, i1 false)
  tail call fastcc void @rendezvous(ptr noundef nonnull %92)
  tail call fastcc void @run_job(ptr noundef nonnull %0, i64 noundef 0)
  tail call fastcc void @rendezvous(ptr noundef nonnull %92)
  %93 = getelementptr inbounds nuw i8, ptr %0, i64 336
  %94 = load i64, ptr %93, align 8, !tbaa !29
  %95 = add nsw i64 %94, 1
  store i64 %95, ptr %93, align 8, !tbaa !29
  %96 = getelementptr inbounds nuw i8, ptr %0, i64 160
  %97 = load ptr, ptr %96, align 8, !tbaa !61
  %98 = and i64 %56, 3
  %99 = icmp slt i64 %3, 4
  br i1 %99, label %174, label %100

100:                                              ; preds = %83
  %101 = and i64 %56, 9223372036854775804
  br label %139

102:                                              ; preds = %102, %59
  %103 = phi i64 [ 0, %59 ], [ %136, %102 ]
  %104 = phi i64 [ 0, %59 ], [ %137, %102 ]
  %105 = getelementptr inbounds nuw i32, ptr %1, i64 %103
  %106 = load i32, ptr %105, align 4, !tbaa !4
  %107 = sext i32 %106 to i64
  %108 = getelementptr inbounds i64, ptr %53, i64 %107
  %109 = load i64, ptr %108, align 8, !tbaa !26
  %110 = trunc i64 %109 to i32
  %111 = getelementptr inbounds nuw i32, ptr %55, i64 %103
  store i32 %110, ptr %111, align 4, !tbaa !4
  %112 = or disjoint i64 %103, 1
  %113 = getelementptr inbounds nuw i32, ptr %1, i64 %112
  %114 = load i32, ptr %113, align 4, !tbaa !4
  %115 = sext i32 %114 to i64
  %116 = getelementptr inbounds i64, ptr %53, i64 %115
  %117 = load i64, ptr %116, align 8, !tbaa !26
  %118 = trunc i64 %117 to i32
  %119 = getelementptr inbounds nuw i32, ptr %55, i64 %112
  store i32 %118, ptr %119, align 4, !tbaa !4
  %120 = or disjoint i64 %103, 2
  %121 = getelementptr inbounds nuw i32, ptr %1, i64 %120
  %122 = load i32, ptr %121, align 4, !tbaa !4
  %123 = sext i32 %122 to i64
  %124 = getelementptr inbounds i64, ptr %53, i64 %123
  %125 = load i64, ptr %124, align 8, !tbaa !26
  %126 = trunc i64 %125 to i32
  %127 = getelementptr inbounds nuw i32, ptr %55, i64 %120
  store i32 %126, ptr %127, align 4, !tbaa !4
  %128 = or disjoint i64 %103, 3
  %129 = getelementptr inbounds nuw i32, ptr %1, i64 %128
  %130 = load i32, ptr %129, align 4, !tbaa !4
  %131 = sext i32 %130 to i64
  %132 = getelementptr inbounds i64, ptr %53, i64 %131
  %133 = load i64, ptr %132, align 8, !tbaa !26
  %134 = trunc i64 %133 to i32
  %135 = getelementptr inbounds nuw i32, ptr %55, i64 %128
  store i32 %134, ptr %135, align 4, !tbaa !4
  %136 = add nuw nsw i64 %103, 4
  %137 = add i64 %104, 4
  %138 = icmp eq i64 %137, %60
  br i1 %138, label %65, label %102, !llvm.loop !93

139:                                              ; preds = %139, %100
  %140 = phi i64 [ 0, %100 ], [ %169, %139 ]
  %141 = phi i64 [ 0, %100 ], [ %170, %139 ]
  %142 = getelementptr inbounds nuw i32, ptr %1, i64 %140
  %143 = load i32, ptr %142, align 4, !tbaa !4
  %144 = sext i32 %143 to i64
  %145 = getelementptr inbounds i64, ptr %97, i64 %144
  %146 = load i64, ptr %145, align 8, !tbaa !26
  %147 = add nsw i64 %146, 1
  store i64 %147, ptr %145, align 8, !tbaa !26
  %148 = getelementptr inbounds nuw i32, ptr %1, i64 %140
  %149 = getelementptr inbounds nuw i8, ptr %148, i64 4
  %150 = load i32, ptr %149, align 4, !tbaa !4
  %151 = sext i32 %150 to i64
  %152 = getelementptr inbounds i64, ptr %97, i64 %151
  %153 = load i64, ptr %152, align 8, !tbaa !26
  %154 = add nsw i64 %153, 1
  store i64 %154, ptr %152, align 8, !tbaa !26
  %155 = getelementptr inbounds nuw i32, ptr %1, i64 %140
  %156 = getelementptr inbounds nuw i8, ptr %155, i64 8
  %157 = load i32, ptr %156, align 4, !tbaa !4
  %158 = sext i32 %157 to i64
  %159 = getelementptr inbounds i64, ptr %97, i64 %158
  %160 = load i64, ptr %159, align 8, !tbaa !26
  %161 = add nsw i64 %160, 1
  store i64 %161, ptr %159, align 8, !tbaa !26
  %162 = getelementptr inbounds nuw i32, ptr %1, i64 %140
  %163 = getelementptr inbounds nuw i8, ptr %162, i64 12
  %164 = load i32, ptr %163, align 4, !tbaa !4
  %165 = sext i32 %164 to i64
  %166 = getelementptr inbounds i64, ptr %97, i64 %165
  %167 = load i64, ptr %166, align 8, !tbaa !26
  %168 = add nsw i64 %167, 1
  store i64 %168, ptr %166, align 8, !tbaa !26
  %169 = add nuw nsw i64 %140, 4
  %170 = add i64 %141, 4
  %171 = icmp eq i64 %170, %101
  br i1 %171, label %172, label %139, !llvm.loop !94

172:                                              ; preds = %139
  %173 = icmp eq i64 %98, 0
  br i1 %173, label %189, label %174

174:                                              ; preds = %172, %83
  %175 = phi i64 [ 0, %83 ], [ %169, %172 ]
  %176 = icmp ne i64 %98, 0
  tail call void @llvm.assume(i1 %176)
  br label %177

177:                                              ; preds = %177, %174
  %178 = phi i64 [ %175, %174 ], [ %186, %177 ]
  %179 = phi i64 [ 0, %174 ], [ %187, %177 ]
  %180 = getelementptr inbounds nuw i32, ptr %1, i64 %178
  %181 = load i32, ptr %180, align 4, !tbaa !4
  %182 = sext i32 %181 to i64
  %183 = getelementptr inbounds i64, ptr %97, i64 %182
  %184 = load i64, ptr %183, align 8, !tbaa !26
  %185 = add nsw i64 %184, 1
  store i64 %185, ptr %183, align 8, !tbaa !26
  %186 = add nuw nsw i64 %178, 1
  %187 = add i64 %179, 1
  %188 = icmp eq i64 %187, %98
  br i1 %188, label %189, label %177, !llvm.loop !95

189:                                              ; preds = %41, %23, %36, %172, %177, %5, %7, %61
  %190 = phi i32 [ 0, %172 ], [ 2, %5 ], [ %64, %61 ], [ 2, %7 ], [ 2, %36 ], [ 0, %177 ], [ 1, %41 ], [ 2, %23 ]
  ret i32 %190
}

; Function Attrs: nounwind uwtable
define dso_local range(i32 0, 3) i32 @ck_train(ptr noundef %0, ptr noundef %1, ptr noundef %2, i64 noundef %3, ptr noundef %4) local_unnamed_addr #0 {
  %6 = getelementptr inbounds nuw i8, ptr %0, i64 68
  %7 = load i32, ptr %6, align 4, !tbaa !96
  %8 = icmp eq i32 %7, 0
  %9 = icmp slt i64 %3, 1
  %10 = or i1 %9, %8
  br i1 %10, label %63, label %11

11:                                               ; preds = %5
  %12 = getelementptr inbounds nuw i8, ptr %0, i64 48
  %13 = load i64, ptr %12, align 8, !tbaa !80
  %14 = icmp sle i64 %3, %13
  %15 = icmp ne ptr %1, null
  %16 = and i1 %15, %14
  %17 = icmp ne ptr %2, null
  %18 = and i1 %17, %16
  %19 = icmp ne ptr %4, null
  %20 = and i1 %19, %18
  br i1 %20, label %21, label %63

21:                                               ; preds = %11
  %22 = getelementptr inbounds nuw i8, ptr %0, i64 40
  %23 = load i64, ptr %22, align 8, !tbaa !79
  %24 = getelementptr inbounds nuw i8, ptr %0, i64 152
  %25 = load ptr, ptr %24, align 8, !tbaa !60
  %26 = and i64 %3, 1
  %27 = icmp eq i64 %3, 1
  br i1 %27, label %32, label %28

28:                                               ; preds = %21
  %29 = and i64 %3, 9223372036854775806
  br label %50

30:                                               ; preds = %50
  %31 = icmp eq i64 %26, 0
  br i1 %31, label %38, label %32

32:                                               ; preds = %30, %21
  %33 = phi i64 [ 0, %21 ], [ %60, %30 ]
  %34 = icmp ne i64 %26, 0
  tail call void @llvm.assume(i1 %34)
  %35 = srem i64 %33, %23
  %36 = trunc i64 %35 to i32
  %37 = getelementptr inbounds nuw i32, ptr %25, i64 %33
  store i32 %36, ptr %37, align 4, !tbaa !4
  br label %38

38:                                               ; preds = %30, %32
  %39 = getelementptr inbounds nuw i8, ptr %0, i64 208
  store ptr %1, ptr %39, align 8, !tbaa !86
  %40 = getelementptr inbounds nuw i8, ptr %0, i64 216
  store ptr %25, ptr %40, align 8, !tbaa !86
  %41 = getelementptr inbounds nuw i8, ptr %0, i64 224
  store ptr %2, ptr %41, align 8, !tbaa !86
  %42 = getelementptr inbounds nuw i8, ptr %0, i64 232
  %43 = getelementptr inbounds nuw i8, ptr %0, i64 248
  tail call void @llvm.memset.p0.i64(ptr noundef nonnull align 8 dereferenceable(16) %42, i8 0, i64 16, i1 false)
  store ptr %4, ptr %43, align 8, !tbaa !87
  %44 = getelementptr inbounds nuw i8, ptr %0, i64 256
  store i64 %3, ptr %44, align 8, !tbaa !26
  %45 = getelementptr inbounds nuw i8, ptr %0, i64 264
  %46 = getelementptr inbounds nuw i8, ptr %0, i64 192
  tail call void @llvm.memset.p0.i64(ptr noundef nonnull align 8 dereferenceable(40) %45, i8 0, i64 40, i1 false)
  tail call fastcc void @rendezvous(ptr noundef nonnull %46)
  tail call fastcc void @run_job(ptr noundef nonnull %0, i64 noundef 0)
  tail call fastcc void @rendezvous(ptr noundef nonnull %46)
  %47 = getelementptr inbounds nuw i8, ptr %0, i64 336
  %48 = load i64, ptr %47, align 8, !tbaa !29
  %49 = add nsw i64 %48, 1
  store i64 %49, ptr %47, align 8, !tbaa !29
  br label %63

50:                                               ; preds = %50, %28
  %51 = phi i64 [ 0, %28 ], [ %60, %50 ]
  %52 = phi i64 [ 0, %28 ], [ %61, %50 ]
  %53 = srem i64 %51, %23
  %54 = trunc i64 %53 to i32
  %55 = getelementptr inbounds nuw i32, ptr %25, i64 %51
  store i32 %54, ptr %55, align 4, !tbaa !4
  %56 = or disjoint i64 %51, 1
  %57 = srem i64 %56, %23
  %58 = trunc i64 %57 to i32
  %59 = getelementptr inbounds nuw i32, ptr %25, i64 %56
  store i32 %58, ptr %59, align 4, !tbaa !4
  %60 = add nuw nsw i64 %51, 2
  %61 = add i64 %52, 2
  %62 = icmp eq i64 %61, %29
  br i1 %62, label %30, label %50, !llvm.loop !97

63:                                               ; preds = %5, %11, %38
  %64 = phi i32 [ 0, %38 ], [ 2, %11 ], [ 2, %5 ]
  ret i32 %64
}

; Function Attrs: nounwind uwtable
define dso_local range(i32 0, 3) i32 @ck_adamw(ptr noundef %0, i64 noundef %1, float noundef %2, float noundef %3, float noundef %4, float noundef %5, float noundef %6) local_unnamed_addr #0 {
  %8 = getelementptr inbounds nuw i8, ptr %0, i64 68
  %9 = load i32, ptr %8, align 4, !tbaa !96
  %10 = icmp eq i32 %9, 0
  %11 = icmp slt i64 %1, 1
  %12 = or i1 %11, %10
  br i1 %12, label %26, label %13

13:                                               ; preds = %7
  %14 = getelementptr inbounds nuw i8, ptr %0, i64 208
  %15 = getelementptr inbounds nuw i8, ptr %0, i64 272
  tail call void @llvm.memset.p0.i64(ptr noundef nonnull align 8 dereferenceable(64) %14, i8 0, i64 64, i1 false)
  store i64 %1, ptr %15, align 8, !tbaa !26
  %16 = getelementptr inbounds nuw i8, ptr %0, i64 280
  store float %2, ptr %16, align 8
  %17 = getelementptr inbounds nuw i8, ptr %0, i64 284
  store float %3, ptr %17, align 4
  %18 = getelementptr inbounds nuw i8, ptr %0, i64 288
  store float %4, ptr %18, align 8
  %19 = getelementptr inbounds nuw i8, ptr %0, i64 292
  store float %5, ptr %19, align 4
  %20 = getelementptr inbounds nuw i8, ptr %0, i64 296
  store float %6, ptr %20, align 8, !tbaa !98
  %21 = getelementptr inbounds nuw i8, ptr %0, i64 300
  store i32 0, ptr %21, align 4
  %22 = getelementptr inbounds nuw i8, ptr %0, i64 192
  tail call fastcc void @rendezvous(ptr noundef nonnull %22)
  tail call fastcc void @run_job(ptr noundef nonnull %0, i64 noundef 0)
  tail call fastcc void @rendezvous(ptr noundef nonnull %22)
  %23 = getelementptr inbounds nuw i8, ptr %0, i64 336
  %24 = load i64, ptr %23, align 8, !tbaa !29
  %25 = add nsw i64 %24, 1
  store i64 %25, ptr %23, align 8, !tbaa !29
  br label %26

26:                                               ; preds = %7, %13
  %27 = phi i32 [ 0, %13 ], [ 2, %7 ]
  ret i32 %27
}

; Function Attrs: mustprogress nofree norecurse nosync nounwind willreturn memory(argmem: read) uwtable
define dso_local ptr @ck_weights(ptr noundef readonly captures(none) %0) local_unnamed_addr #14 {
  %2 = getelementptr inbounds nuw i8, ptr %0, i64 80
  %3 = load ptr, ptr %2, align 8, !tbaa !53
  ret ptr %3
}

; Function Attrs: mustprogress nofree norecurse nosync nounwind willreturn memory(argmem: read) uwtable
define dso_local ptr @ck_adam_m(ptr noundef readonly captures(none) %0) local_unnamed_addr #14 {
  %2 = getelementptr inbounds nuw i8, ptr %0, i64 136
  %3 = load ptr, ptr %2, align 8, !tbaa !63
  ret ptr %3
}

; Function Attrs: mustprogress nofree norecurse nosync nounwind willreturn memory(argmem: read) uwtable
define dso_local ptr @ck_adam_v(ptr noundef readonly captures(none) %0) local_unnamed_addr #14 {
  %2 = getelementptr inbounds nuw i8, ptr %0, i64 144
  %3 = load ptr, ptr %2, align 8, !tbaa !64
  ret ptr %3
}

; Function Attrs: mustprogress nofree norecurse nosync nounwind willreturn memory(argmem: read) uwtable
define dso_local ptr @ck_grads(ptr noundef readonly captures(none) %0) local_unnamed_addr #14 {
  %2 = getelementptr inbounds nuw i8, ptr %0, i64 128
  %3 = load ptr, ptr %2, align 8, !tbaa !62
  ret ptr %3
}

; Function Attrs: mustprogress nofree norecurse nosync nounwind willreturn memory(write, argmem: readwrite, inaccessiblemem: none, target_mem0: none, target_mem1: none) uwtable
define dso_local void @ck_reset(ptr noundef readonly captures(none) %0) local_unnamed_addr #15 {
  %2 = getelementptr inbounds nuw i8, ptr %0, i64 160
  %3 = load ptr, ptr %2, align 8, !tbaa !61
  store i64 0, ptr %3, align 8, !tbaa !26
  ret void
}

; Function Attrs: mustprogress nofree norecurse nosync nounwind willreturn memory(readwrite, inaccessiblemem: none, target_mem0: none, target_mem1: none) uwtable
define dso_local range(i32 0, 3) i32 @ck_set_position_slot(ptr noundef readonly captures(none) %0, i64 noundef %1, i64 noundef %2) local_unnamed_addr #16 {
  %4 = icmp slt i64 %1, 0
  br i1 %4, label %18, label %5

5:                                                ; preds = %3
  %6 = getelementptr inbounds nuw i8, ptr %0, i64 72
  %7 = load i64, ptr %6, align 8, !tbaa !78
  %8 = icmp sge i64 %1, %7
  %9 = icmp slt i64 %2, 0
  %10 = or i1 %9, %8
  br i1 %10, label %18, label %11

11:                                               ; preds = %5
  %12 = getelementptr inbounds nuw i8, ptr %0, i64 160
  %13 = load ptr, ptr %12, align 8, !tbaa !61
  %14 = getelementptr inbounds nuw i64, ptr %13, i64 %1
  %15 = load i64, ptr %14, align 8, !tbaa !26
  %16 = icmp sgt i64 %2, %15
  br i1 %16, label %18, label %17

17:                                               ; preds = %11
  store i64 %2, ptr %14, align 8, !tbaa !26
  br label %18

18:                                               ; preds = %3, %5, %11, %17
  %19 = phi i32 [ 0, %17 ], [ 2, %11 ], [ 2, %5 ], [ 2, %3 ]
  ret i32 %19
}

; Function Attrs: mustprogress nofree norecurse nosync nounwind willreturn memory(readwrite, inaccessiblemem: none, target_mem0: none, target_mem1: none) uwtable
define dso_local range(i32 0, 3) i32 @ck_set_position(ptr noundef readonly captures(none) %0, i64 noundef %1) local_unnamed_addr #16 {
  %3 = getelementptr inbounds nuw i8, ptr %0, i64 72
  %4 = load i64, ptr %3, align 8, !tbaa !78
  %5 = icmp slt i64 %4, 1
  %6 = icmp slt i64 %1, 0
  %7 = or i1 %6, %5
  br i1 %7, label %14, label %8

8:                                                ; preds = %2
  %9 = getelementptr inbounds nuw i8, ptr %0, i64 160
  %10 = load ptr, ptr %9, align 8, !tbaa !61
  %11 = load i64, ptr %10, align 8, !tbaa !26
  %12 = icmp sgt i64 %1, %11
  br i1 %12, label %14, label %13

13:                                               ; preds = %8
  store i64 %1, ptr %10, align 8, !tbaa !26
  br label %14

14:                                               ; preds = %2, %8, %13
  %15 = phi i32 [ 0, %13 ], [ 2, %8 ], [ 2, %2 ]
  ret i32 %15
}

; Function Attrs: mustprogress nofree norecurse nosync nounwind willreturn memory(read, inaccessiblemem: none, target_mem0: none, target_mem1: none) uwtable
define dso_local i64 @ck_position_slot(ptr noundef readonly captures(none) %0, i64 noundef %1) local_unnamed_addr #17 {
  %3 = icmp sgt i64 %1, -1
  br i1 %3, label %4, label %13

4:                                                ; preds = %2
  %5 = getelementptr inbounds nuw i8, ptr %0, i64 72
  %6 = load i64, ptr %5, align 8, !tbaa !78
  %7 = icmp slt i64 %1, %6
  br i1 %7, label %8, label %13

8:                                                ; preds = %4
  %9 = getelementptr inbounds nuw i8, ptr %0, i64 160
  %10 = load ptr, ptr %9, align 8, !tbaa !61
  %11 = getelementptr inbounds nuw i64, ptr %10, i64 %1
  %12 = load i64, ptr %11, align 8, !tbaa !26
  br label %13

13:                                               ; preds = %2, %4, %8
  %14 = phi i64 [ %12, %8 ], [ -1, %4 ], [ -1, %2 ]
  ret i64 %14
}

; Function Attrs: mustprogress nofree norecurse nosync nounwind willreturn memory(read, inaccessiblemem: none, target_mem0: none, target_mem1: none) uwtable
define dso_local i64 @ck_position(ptr noundef readonly captures(none) %0) local_unnamed_addr #17 {
  %2 = getelementptr inbounds nuw i8, ptr %0, i64 160
  %3 = load ptr, ptr %2, align 8, !tbaa !61
  %4 = load i64, ptr %3, align 8, !tbaa !26
  ret i64 %4
}

; Function Attrs: nounwind uwtable
define internal fastcc void @rendezvous(ptr noundef %0) unnamed_addr #0 {
  %2 = alloca %struct.timespec, align 8
  %3 = alloca %struct.timespec, align 8
  %4 = getelementptr inbounds nuw i8, ptr %0, i64 8
  %5 = load i32, ptr %4, align 4, !tbaa !16
  %6 = icmp slt i32 %5, 2
  br i1 %6, label %59, label %7

7:                                                ; preds = %1
  %8 = getelementptr inbounds nuw i8, ptr %0, i64 4
  %9 = load atomic i32, ptr %8 monotonic, align 4
  %10 = atomicrmw add ptr %0, i32 1 acq_rel, align 4
  %11 = load i32, ptr %4, align 4, !tbaa !16
  %12 = add nsw i32 %11, -1
  %13 = icmp eq i32 %10, %12
  br i1 %13, label %14, label %22

14:                                               ; preds = %7
  store atomic i32 0, ptr %0 monotonic, align 4
  %15 = icmp eq i32 %9, 0
  %16 = zext i1 %15 to i32
  store atomic i32 %16, ptr %8 seq_cst, align 4
  %17 = getelementptr inbounds nuw i8, ptr %0, i64 12
  %18 = load atomic i32, ptr %17 seq_cst, align 4
  %19 = icmp sgt i32 %18, 0
  br i1 %19, label %20, label %59

20:                                               ; preds = %14
  %21 = tail call i64 (i64, ...) @syscall(i64 noundef 202, ptr noundef nonnull %8, i32 noundef 129, i32 noundef 2147483647, ptr noundef null, ptr noundef null, i32 noundef 0) #18
  br label %59

22:                                               ; preds = %7
  call void @llvm.lifetime.start.p0(ptr nonnull %3) #18
  %23 = call i32 @clock_gettime(i32 noundef 1, ptr noundef nonnull %3) #18
  %24 = load i64, ptr %3, align 8, !tbaa !20
  %25 = getelementptr inbounds nuw i8, ptr %3, i64 8
  %26 = load i64, ptr %25, align 8, !tbaa !22
  call void @llvm.lifetime.end.p0(ptr nonnull %3) #18
  %27 = load atomic i32, ptr %8 acquire, align 4
  %28 = icmp eq i32 %27, %9
  br i1 %28, label %29, label %59

29:                                               ; preds = %22
  %30 = getelementptr inbounds nuw i8, ptr %2, i64 8
  br label %31

31:                                               ; preds = %29, %55
  %32 = phi i32 [ 1, %29 ], [ %56, %55 ]
  %33 = and i32 %32, 63
  %34 = icmp eq i32 %33, 0
  br i1 %34, label %35, label %55

35:                                               ; preds = %31
  call void @llvm.lifetime.start.p0(ptr nonnull %2) #18
  %36 = call i32 @clock_gettime(i32 noundef 1, ptr noundef nonnull %2) #18
  %37 = load i64, ptr %2, align 8, !tbaa !20
  %38 = load i64, ptr %30, align 8, !tbaa !22
  call void @llvm.lifetime.end.p0(ptr nonnull %2) #18
  %39 = sub i64 %37, %24
  %40 = mul i64 %39, 1000000000
  %41 = sub i64 %38, %26
  %42 = add i64 %41, %40
  %43 = icmp sgt i64 %42, 2000000
  br i1 %43, label %44, label %55

44:                                               ; preds = %35
  %45 = getelementptr inbounds nuw i8, ptr %0, i64 12
  %46 = atomicrmw add ptr %45, i32 1 seq_cst, align 4
  %47 = load atomic i32, ptr %8 seq_cst, align 4
  %48 = icmp eq i32 %47, %9
  br i1 %48, label %49, label %53

49:                                               ; preds = %44, %49
  %50 = call i64 (i64, ...) @syscall(i64 noundef 202, ptr noundef nonnull %8, i32 noundef 128, i32 noundef %9, ptr noundef null, ptr noundef null, i32 noundef 0) #18
  %51 = load atomic i32, ptr %8 seq_cst, align 4
  %52 = icmp eq i32 %51, %9
  br i1 %52, label %49, label %53, !llvm.loop !99

53:                                               ; preds = %49, %44
  %54 = atomicrmw sub ptr %45, i32 1 seq_cst, align 4
  br label %59

55:                                               ; preds = %35, %31
  call void @llvm.x86.sse2.pause()
  %56 = add nuw nsw i32 %32, 1
  %57 = load atomic i32, ptr %8 acquire, align 4
  %58 = icmp eq i32 %57, %9
  br i1 %58, label %31, label %59, !llvm.loop !100

59:                                               ; preds = %55, %22, %20, %14, %53, %1
  ret void
}

declare i32 @pthread_join(i64 noundef, ptr noundef) local_unnamed_addr #7

; Function Attrs: nounwind uwtable
define dso_local double @ck_probe_read_gbps(i32 noundef %0, i64 noundef %1) local_unnamed_addr #0 {
  %3 = icmp slt i32 %0, 1
  %4 = zext nneg i32 %0 to i64
  %5 = shl nuw nsw i64 %4, 12
  %6 = icmp slt i64 %1, %5
  %7 = select i1 %3, i1 true, i1 %6
  br i1 %7, label %68, label %8

8:                                                ; preds = %2
  %9 = lshr i64 %1, 3
  %10 = and i64 %1, -8
  %11 = add nuw i64 %10, 2097151
  %12 = and i64 %11, -2097152
  %13 = icmp eq i64 %12, 0
  %14 = select i1 %13, i64 2097152, i64 %12
  %15 = tail call ptr @mmap(ptr noundef null, i64 noundef %14, i32 noundef 3, i32 noundef 34, i32 noundef -1, i64 noundef 0) #18
  %16 = icmp eq ptr %15, inttoptr (i64 -1 to ptr)
  br i1 %16, label %68, label %17

17:                                               ; preds = %8
  %18 = tail call i32 @madvise(ptr noundef %15, i64 noundef %14, i32 noundef 14) #18
  %19 = icmp eq ptr %15, null
  br i1 %19, label %68, label %20

20:                                               ; preds = %17
  %21 = icmp eq i64 %9, 0
  br i1 %21, label %40, label %22

22:                                               ; preds = %20
  %23 = and i64 %9, 1
  %24 = icmp eq i64 %9, 1
  br i1 %24, label %29, label %25

25:                                               ; preds = %22
  %26 = and i64 %9, 2305843009213693950
  br label %46

27:                                               ; preds = %46
  %28 = icmp eq i64 %23, 0
  br i1 %28, label %40, label %29

29:                                               ; preds = %27, %22
  %30 = phi i64 [ 0, %22 ], [ %65, %27 ]
  %31 = phi i64 [ -7046029254386353131, %22 ], [ %62, %27 ]
  %32 = icmp ne i64 %23, 0
  tail call void @llvm.assume(i1 %32)
  %33 = shl i64 %31, 13
  %34 = xor i64 %33, %31
  %35 = lshr i64 %34, 7
  %36 = xor i64 %35, %34
  %37 = shl i64 %36, 17
  %38 = xor i64 %37, %36
  %39 = getelementptr inbounds nuw i64, ptr %15, i64 %30
  store i64 %38, ptr %39, align 8, !tbaa !26
  br label %40

40:                                               ; preds = %29, %27, %20
  %41 = tail call fastcc double @probe_passes(ptr noundef %15, i64 noundef %9, i32 noundef %0, i32 noundef 1)
  %42 = tail call fastcc double @probe_passes(ptr noundef %15, i64 noundef %9, i32 noundef %0, i32 noundef 4)
  %43 = tail call i32 @munmap(ptr noundef nonnull %15, i64 noundef %14) #18
  %44 = fcmp ogt double %41, %42
  %45 = select i1 %44, double %41, double %42
  br label %68

46:                                               ; preds = %46, %25
  %47 = phi i64 [ 0, %25 ], [ %65, %46 ]
  %48 = phi i64 [ -7046029254386353131, %25 ], [ %62, %46 ]
  %49 = phi i64 [ 0, %25 ], [ %66, %46 ]
  %50 = shl i64 %48, 13
  %51 = xor i64 %50, %48
  %52 = lshr i64 %51, 7
  %53 = xor i64 %52, %51
  %54 = shl i64 %53, 17
  %55 = xor i64 %54, %53
  %56 = getelementptr inbounds nuw i64, ptr %15, i64 %47
  store i64 %55, ptr %56, align 8, !tbaa !26
  %57 = shl i64 %55, 13
  %58 = xor i64 %57, %55
  %59 = lshr i64 %58, 7
  %60 = xor i64 %59, %58
  %61 = shl i64 %60, 17
  %62 = xor i64 %61, %60
  %63 = getelementptr inbounds nuw i64, ptr %15, i64 %47
  %64 = getelementptr inbounds nuw i8, ptr %63, i64 8
  store i64 %62, ptr %64, align 8, !tbaa !26
  %65 = add nuw nsw i64 %47, 2
  %66 = add nuw nsw i64 %49, 2
  %67 = icmp eq i64 %66, %26
  br i1 %67, label %27, label %46, !llvm.loop !101

68:                                               ; preds = %8, %40, %17, %2
  %69 = phi double [ -1.000000e+00, %2 ], [ %45, %40 ], [ -1.000000e+00, %17 ], [ -1.000000e+00, %8 ]
  ret double %69
}

; Function Attrs: nounwind uwtable
define internal fastcc double @probe_passes(ptr noundef nonnull %0, i64 noundef range(i64 512, 1152921504606846976) %1, i32 noundef range(i32 1, -2147483648) %2, i32 noundef range(i32 1, 5) %3) unnamed_addr #0 {
  %5 = alloca %struct.ck_barrier_state, align 4
  %6 = alloca [5 x double], align 16
  %7 = alloca i64, align 8
  %8 = zext nneg i32 %2 to i64
  %9 = tail call noalias ptr @calloc(i64 noundef %8, i64 noundef 8) #22
  %10 = tail call noalias ptr @calloc(i64 noundef %8, i64 noundef 48) #22
  call void @llvm.lifetime.start.p0(ptr nonnull %5) #18
  store i32 0, ptr %5, align 4, !tbaa !102
  %11 = getelementptr inbounds nuw i8, ptr %5, i64 4
  store i32 0, ptr %11, align 4, !tbaa !103
  %12 = getelementptr inbounds nuw i8, ptr %5, i64 8
  store i32 %2, ptr %12, align 4, !tbaa !16
  %13 = getelementptr inbounds nuw i8, ptr %5, i64 12
  store i32 0, ptr %13, align 4, !tbaa !104
  call void @llvm.lifetime.start.p0(ptr nonnull %6) #18
  call void @llvm.lifetime.start.p0(ptr nonnull %7)
  store volatile i64 0, ptr %7, align 8, !tbaa !26
  %14 = udiv i64 %1, %8
  %15 = and i64 %14, 1152921504606846848
  %16 = mul i64 %15, %8
  %17 = shl i64 %16, 3
  %18 = uitofp i64 %17 to double
  br label %19

19:                                               ; preds = %4, %40
  %20 = phi i64 [ 0, %4 ], [ %44, %40 ]
  br label %25

21:                                               ; preds = %40
  %22 = load volatile i64, ptr %7, align 8, !tbaa !26
  call void @free(ptr noundef nonnull %9) #18
  call void @free(ptr noundef nonnull %10) #18
  call void @qsort(ptr noundef nonnull %6, i64 noundef 5, i64 noundef 8, ptr noundef nonnull @compare_doubles) #18
  %23 = getelementptr inbounds nuw i8, ptr %6, i64 16
  %24 = load double, ptr %23, align 16, !tbaa !105
  call void @llvm.lifetime.end.p0(ptr nonnull %7)
  call void @llvm.lifetime.end.p0(ptr nonnull %6) #18
  call void @llvm.lifetime.end.p0(ptr nonnull %5) #18
  ret double %24

25:                                               ; preds = %19, %25
  %26 = phi i64 [ 0, %19 ], [ %38, %25 ]
  %27 = getelementptr inbounds nuw %struct.probe_arg, ptr %10, i64 %26
  %28 = mul i64 %15, %26
  %29 = getelementptr inbounds nuw i64, ptr %0, i64 %28
  store ptr %29, ptr %27, align 8, !tbaa !107
  %30 = getelementptr inbounds nuw i8, ptr %27, i64 8
  store i64 %15, ptr %30, align 8, !tbaa !26
  %31 = getelementptr inbounds nuw i8, ptr %27, i64 16
  store i32 %3, ptr %31, align 8, !tbaa !4
  %32 = getelementptr inbounds nuw i8, ptr %27, i64 20
  store i32 0, ptr %32, align 4
  %33 = getelementptr inbounds nuw i8, ptr %27, i64 24
  store i64 0, ptr %33, align 8, !tbaa !26
  %34 = getelementptr inbounds nuw i8, ptr %27, i64 32
  store ptr %5, ptr %34, align 8, !tbaa !108
  %35 = getelementptr inbounds nuw i8, ptr %27, i64 40
  store double 0.000000e+00, ptr %35, align 8, !tbaa !105
  %36 = getelementptr inbounds nuw i64, ptr %9, i64 %26
  %37 = call i32 @pthread_create(ptr noundef %36, ptr noundef null, ptr noundef nonnull @probe_read, ptr noundef nonnull %27) #18
  %38 = add nuw nsw i64 %26, 1
  %39 = icmp eq i64 %38, %8
  br i1 %39, label %46, label %25, !llvm.loop !109

40:                                               ; preds = %46
  %41 = fdiv double %18, %60
  %42 = fdiv double %41, 1.000000e+09
  %43 = getelementptr inbounds nuw double, ptr %6, i64 %20
  store double %42, ptr %43, align 8, !tbaa !105
  %44 = add nuw nsw i64 %20, 1
  %45 = icmp eq i64 %44, 5
  br i1 %45, label %21, label %19, !llvm.loop !110

46:                                               ; preds = %25, %46
  %47 = phi i64 [ %61, %46 ], [ 0, %25 ]
  %48 = phi double [ %60, %46 ], [ 0.000000e+00, %25 ]
  %49 = getelementptr inbounds nuw i64, ptr %9, i64 %47
  %50 = load i64, ptr %49, align 8, !tbaa !26
  %51 = call i32 @pthread_join(i64 noundef %50, ptr noundef null) #18
  %52 = getelementptr inbounds nuw %struct.probe_arg, ptr %10, i64 %47
  %53 = getelementptr inbounds nuw i8, ptr %52, i64 24
  %54 = load i64, ptr %53, align 8, !tbaa !111
  %55 = load volatile i64, ptr %7, align 8, !tbaa !26
  %56 = xor i64 %55, %54
  store volatile i64 %56, ptr %7, align 8, !tbaa !26
  %57 = getelementptr inbounds nuw i8, ptr %52, i64 40
  %58 = load double, ptr %57, align 8, !tbaa !113
  %59 = fcmp ogt double %58, %48
  %60 = select i1 %59, double %58, double %48
  %61 = add nuw nsw i64 %47, 1
  %62 = icmp eq i64 %61, %8
  br i1 %62, label %40, label %46, !llvm.loop !114
}

; Function Attrs: nounwind uwtable
define dso_local double @ck_probe_peak_gflops(i32 noundef %0, i32 noundef %1, double noundef %2) local_unnamed_addr #0 {
  %4 = alloca %struct.ck_barrier_state, align 4
  %5 = alloca float, align 4
  %6 = icmp sgt i32 %0, 0
  %7 = fcmp ugt double %2, 0.000000e+00
  %8 = and i1 %6, %7
  %9 = icmp eq i32 %1, 0
  %10 = and i1 %9, %8
  br i1 %10, label %11, label %111

11:                                               ; preds = %3, %11
  %12 = phi <8 x float> [ %36, %11 ], [ splat (float 0x4025FFFE80000000), %3 ]
  %13 = phi <8 x float> [ %35, %11 ], [ splat (float 0x4023FFFEA0000000), %3 ]
  %14 = phi <8 x float> [ %34, %11 ], [ splat (float 0x4021FFFEC0000000), %3 ]
  %15 = phi <8 x float> [ %33, %11 ], [ splat (float 0x401FFFFDE0000000), %3 ]
  %16 = phi <8 x float> [ %32, %11 ], [ splat (float 0x401BFFFE20000000), %3 ]
  %17 = phi <8 x float> [ %31, %11 ], [ splat (float 0x4017FFFE60000000), %3 ]
  %18 = phi <8 x float> [ %30, %11 ], [ splat (float 0x4013FFFEA0000000), %3 ]
  %19 = phi <8 x float> [ %29, %11 ], [ splat (float 0x400FFFFDE0000000), %3 ]
  %20 = phi <8 x float> [ %28, %11 ], [ splat (float 0x4007FFFE60000000), %3 ]
  %21 = phi <8 x float> [ %27, %11 ], [ splat (float 0x3FFFFFFDE0000000), %3 ]
  %22 = phi <8 x float> [ %26, %11 ], [ splat (float 0x3FEFFFFDE0000000), %3 ]
  %23 = phi <8 x float> [ %25, %11 ], [ zeroinitializer, %3 ]
  %24 = phi i32 [ %37, %11 ], [ 0, %3 ]
  %25 = tail call <8 x float> @llvm.fmuladd.v8f32(<8 x float> %23, <8 x float> splat (float 0x3FEFFFFDE0000000), <8 x float> splat (float 0x3E7AD7F2A0000000))
  %26 = tail call <8 x float> @llvm.fmuladd.v8f32(<8 x float> %22, <8 x float> splat (float 0x3FEFFFFDE0000000), <8 x float> splat (float 0x3E7AD7F2A0000000))
  %27 = tail call <8 x float> @llvm.fmuladd.v8f32(<8 x float> %21, <8 x float> splat (float 0x3FEFFFFDE0000000), <8 x float> splat (float 0x3E7AD7F2A0000000))
  %28 = tail call <8 x float> @llvm.fmuladd.v8f32(<8 x float> %20, <8 x float> splat (float 0x3FEFFFFDE0000000), <8 x float> splat (float 0x3E7AD7F2A0000000))
  %29 = tail call <8 x float> @llvm.fmuladd.v8f32(<8 x float> %19, <8 x float> splat (float 0x3FEFFFFDE0000000), <8 x float> splat (float 0x3E7AD7F2A0000000))
  %30 = tail call <8 x float> @llvm.fmuladd.v8f32(<8 x float> %18, <8 x float> splat (float 0x3FEFFFFDE0000000), <8 x float> splat (float 0x3E7AD7F2A0000000))
  %31 = tail call <8 x float> @llvm.fmuladd.v8f32(<8 x float> %17, <8 x float> splat (float 0x3FEFFFFDE0000000), <8 x float> splat (float 0x3E7AD7F2A0000000))
  %32 = tail call <8 x float> @llvm.fmuladd.v8f32(<8 x float> %16, <8 x float> splat (float 0x3FEFFFFDE0000000), <8 x float> splat (float 0x3E7AD7F2A0000000))
  %33 = tail call <8 x float> @llvm.fmuladd.v8f32(<8 x float> %15, <8 x float> splat (float 0x3FEFFFFDE0000000), <8 x float> splat (float 0x3E7AD7F2A0000000))
  %34 = tail call <8 x float> @llvm.fmuladd.v8f32(<8 x float> %14, <8 x float> splat (float 0x3FEFFFFDE0000000), <8 x float> splat (float 0x3E7AD7F2A0000000))
  %35 = tail call <8 x float> @llvm.fmuladd.v8f32(<8 x float> %13, <8 x float> splat (float 0x3FEFFFFDE0000000), <8 x float> splat (float 0x3E7AD7F2A0000000))
  %36 = tail call <8 x float> @llvm.fmuladd.v8f32(<8 x float> %12, <8 x float> splat (float 0x3FEFFFFDE0000000), <8 x float> splat (float 0x3E7AD7F2A0000000))
  %37 = add nuw nsw i32 %24, 1
  %38 = icmp eq i32 %37, 16384
  br i1 %38, label %39, label %11, !llvm.loop !115

39:                                               ; preds = %11
  %40 = fadd <8 x float> %26, %25
  %41 = fadd <8 x float> %27, %40
  %42 = fadd <8 x float> %28, %41
  %43 = fadd <8 x float> %29, %42
  %44 = fadd <8 x float> %30, %43
  %45 = fadd <8 x float> %31, %44
  %46 = fadd <8 x float> %32, %45
  %47 = fadd <8 x float> %33, %46
  %48 = fadd <8 x float> %34, %47
  %49 = fadd <8 x float> %35, %48
  %50 = fadd <8 x float> %36, %49
  %51 = extractelement <8 x float> %50, i64 0
  %52 = fadd float %51, 0.000000e+00
  %53 = extractelement <8 x float> %50, i64 1
  %54 = fadd float %53, %52
  %55 = extractelement <8 x float> %50, i64 2
  %56 = fadd float %55, %54
  %57 = extractelement <8 x float> %50, i64 3
  %58 = fadd float %57, %56
  %59 = extractelement <8 x float> %50, i64 4
  %60 = fadd float %59, %58
  %61 = extractelement <8 x float> %50, i64 5
  %62 = fadd float %61, %60
  %63 = extractelement <8 x float> %50, i64 6
  %64 = fadd float %63, %62
  %65 = extractelement <8 x float> %50, i64 7
  %66 = fadd float %65, %64
  %67 = zext nneg i32 %0 to i64
  %68 = tail call noalias ptr @calloc(i64 noundef %67, i64 noundef 8) #22
  %69 = tail call noalias ptr @calloc(i64 noundef %67, i64 noundef 48) #22
  call void @llvm.lifetime.start.p0(ptr nonnull %4) #18
  store i32 0, ptr %4, align 4, !tbaa !102
  %70 = getelementptr inbounds nuw i8, ptr %4, i64 4
  store i32 0, ptr %70, align 4, !tbaa !103
  %71 = getelementptr inbounds nuw i8, ptr %4, i64 8
  store i32 %0, ptr %71, align 4, !tbaa !16
  %72 = getelementptr inbounds nuw i8, ptr %4, i64 12
  store i32 0, ptr %72, align 4, !tbaa !104
  br label %75

73:                                               ; preds = %75
  %74 = zext nneg i32 %0 to i64
  br label %90

75:                                               ; preds = %39, %75
  %76 = phi i64 [ 0, %39 ], [ %84, %75 ]
  %77 = getelementptr inbounds nuw %struct.peak_arg, ptr %69, i64 %76
  store i32 0, ptr %77, align 8, !tbaa !4
  %78 = getelementptr inbounds nuw i8, ptr %77, i64 4
  store i32 0, ptr %78, align 4
  %79 = getelementptr inbounds nuw i8, ptr %77, i64 8
  store double %2, ptr %79, align 8, !tbaa !105
  %80 = getelementptr inbounds nuw i8, ptr %77, i64 16
  store ptr %4, ptr %80, align 8, !tbaa !108
  %81 = getelementptr inbounds nuw i8, ptr %77, i64 24
  %82 = getelementptr inbounds nuw i64, ptr %68, i64 %76
  call void @llvm.memset.p0.i64(ptr noundef nonnull align 8 dereferenceable(24) %81, i8 0, i64 24, i1 false)
  %83 = call i32 @pthread_create(ptr noundef %82, ptr noundef null, ptr noundef nonnull @peak_run, ptr noundef nonnull %77) #18
  %84 = add nuw nsw i64 %76, 1
  %85 = icmp eq i64 %84, %67
  br i1 %85, label %73, label %75, !llvm.loop !116

86:                                               ; preds = %90
  call void @free(ptr noundef nonnull %68) #18
  call void @free(ptr noundef nonnull %69) #18
  call void @llvm.lifetime.start.p0(ptr nonnull %5)
  store volatile float %108, ptr %5, align 4, !tbaa !117
  %87 = load volatile float, ptr %5, align 4, !tbaa !117
  %88 = fdiv double %101, %105
  %89 = fdiv double %88, 1.000000e+09
  call void @llvm.lifetime.end.p0(ptr nonnull %5)
  call void @llvm.lifetime.end.p0(ptr nonnull %4) #18
  br label %111

90:                                               ; preds = %73, %90
  %91 = phi i64 [ 0, %73 ], [ %109, %90 ]
  %92 = phi double [ 0.000000e+00, %73 ], [ %105, %90 ]
  %93 = phi double [ 0.000000e+00, %73 ], [ %101, %90 ]
  %94 = phi float [ %66, %73 ], [ %108, %90 ]
  %95 = getelementptr inbounds nuw i64, ptr %68, i64 %91
  %96 = load i64, ptr %95, align 8, !tbaa !26
  %97 = call i32 @pthread_join(i64 noundef %96, ptr noundef null) #18
  %98 = getelementptr inbounds nuw %struct.peak_arg, ptr %69, i64 %91
  %99 = getelementptr inbounds nuw i8, ptr %98, i64 24
  %100 = load double, ptr %99, align 8, !tbaa !119
  %101 = fadd double %93, %100
  %102 = getelementptr inbounds nuw i8, ptr %98, i64 32
  %103 = load double, ptr %102, align 8, !tbaa !121
  %104 = fcmp ogt double %103, %92
  %105 = select i1 %104, double %103, double %92
  %106 = getelementptr inbounds nuw i8, ptr %98, i64 40
  %107 = load float, ptr %106, align 8, !tbaa !122
  %108 = fadd float %94, %107
  %109 = add nuw nsw i64 %91, 1
  %110 = icmp eq i64 %109, %74
  br i1 %110, label %86, label %90, !llvm.loop !123

111:                                              ; preds = %3, %86
  %112 = phi double [ %89, %86 ], [ -1.000000e+00, %3 ]
  ret double %112
}

; Function Attrs: nounwind uwtable
define internal noalias noundef ptr @peak_run(ptr noundef captures(none) %0) #0 {
  %2 = alloca %struct.timespec, align 8
  %3 = alloca %struct.timespec, align 8
  %4 = getelementptr inbounds nuw i8, ptr %0, i64 16
  %5 = load ptr, ptr %4, align 8, !tbaa !124
  %6 = getelementptr inbounds nuw i8, ptr %5, i64 8
  %7 = load i32, ptr %6, align 4, !tbaa !16
  %8 = icmp slt i32 %7, 2
  br i1 %8, label %32, label %9

9:                                                ; preds = %1
  %10 = getelementptr inbounds nuw i8, ptr %5, i64 4
  %11 = load atomic i32, ptr %10 monotonic, align 4
  %12 = atomicrmw add ptr %5, i32 1 acq_rel, align 4
  %13 = load i32, ptr %6, align 4, !tbaa !16
  %14 = add nsw i32 %13, -1
  %15 = icmp eq i32 %12, %14
  br i1 %15, label %19, label %16

16:                                               ; preds = %9
  %17 = load atomic i32, ptr %10 acquire, align 4
  %18 = icmp eq i32 %17, %11
  br i1 %18, label %22, label %32

19:                                               ; preds = %9
  store atomic i32 0, ptr %5 monotonic, align 4
  %20 = icmp eq i32 %11, 0
  %21 = zext i1 %20 to i32
  store atomic i32 %21, ptr %10 release, align 4
  br label %32

22:                                               ; preds = %16, %28
  %23 = phi i32 [ %29, %28 ], [ 0, %16 ]
  %24 = icmp samesign ult i32 %23, 4096
  br i1 %24, label %25, label %26

25:                                               ; preds = %22
  tail call void @llvm.x86.sse2.pause()
  br label %28

26:                                               ; preds = %22
  %27 = tail call i32 @sched_yield() #18
  br label %28

28:                                               ; preds = %26, %25
  %29 = add nuw nsw i32 %23, 1
  %30 = load atomic i32, ptr %10 acquire, align 4
  %31 = icmp eq i32 %30, %11
  br i1 %31, label %22, label %32, !llvm.loop !18

32:                                               ; preds = %28, %1, %16, %19
  call void @llvm.lifetime.start.p0(ptr nonnull %3) #18
  %33 = call i32 @clock_gettime(i32 noundef 1, ptr noundef nonnull %3) #18
  %34 = load i64, ptr %3, align 8, !tbaa !20
  %35 = mul nsw i64 %34, 1000000000
  %36 = getelementptr inbounds nuw i8, ptr %3, i64 8
  %37 = load i64, ptr %36, align 8, !tbaa !22
  %38 = add nsw i64 %35, %37
  call void @llvm.lifetime.end.p0(ptr nonnull %3) #18
  %39 = getelementptr inbounds nuw i8, ptr %0, i64 8
  %40 = load double, ptr %39, align 8, !tbaa !125
  %41 = fmul double %40, 1.000000e+09
  %42 = fptosi double %41 to i64
  %43 = add nsw i64 %38, %42
  %44 = getelementptr inbounds nuw i8, ptr %0, i64 40
  %45 = getelementptr inbounds nuw i8, ptr %0, i64 24
  %46 = getelementptr inbounds nuw i8, ptr %2, i64 8
  br label %47

47:                                               ; preds = %107, %32
  %48 = load i32, ptr %0, align 8, !tbaa !126
  %49 = icmp eq i32 %48, 0
  br i1 %49, label %50, label %107

50:                                               ; preds = %47, %50
  %51 = phi <8 x float> [ %75, %50 ], [ splat (float 0x4025FFFE80000000), %47 ]
  %52 = phi <8 x float> [ %74, %50 ], [ splat (float 0x4023FFFEA0000000), %47 ]
  %53 = phi <8 x float> [ %73, %50 ], [ splat (float 0x4021FFFEC0000000), %47 ]
  %54 = phi <8 x float> [ %72, %50 ], [ splat (float 0x401FFFFDE0000000), %47 ]
  %55 = phi <8 x float> [ %71, %50 ], [ splat (float 0x401BFFFE20000000), %47 ]
  %56 = phi <8 x float> [ %70, %50 ], [ splat (float 0x4017FFFE60000000), %47 ]
  %57 = phi <8 x float> [ %69, %50 ], [ splat (float 0x4013FFFEA0000000), %47 ]
  %58 = phi <8 x float> [ %68, %50 ], [ splat (float 0x400FFFFDE0000000), %47 ]
  %59 = phi <8 x float> [ %67, %50 ], [ splat (float 0x4007FFFE60000000), %47 ]
  %60 = phi <8 x float> [ %66, %50 ], [ splat (float 0x3FFFFFFDE0000000), %47 ]
  %61 = phi <8 x float> [ %65, %50 ], [ splat (float 0x3FEFFFFDE0000000), %47 ]
  %62 = phi <8 x float> [ %64, %50 ], [ zeroinitializer, %47 ]
  %63 = phi i32 [ %76, %50 ], [ 0, %47 ]
  %64 = call <8 x float> @llvm.fmuladd.v8f32(<8 x float> %62, <8 x float> splat (float 0x3FEFFFFDE0000000), <8 x float> splat (float 0x3E7AD7F2A0000000))
  %65 = call <8 x float> @llvm.fmuladd.v8f32(<8 x float> %61, <8 x float> splat (float 0x3FEFFFFDE0000000), <8 x float> splat (float 0x3E7AD7F2A0000000))
  %66 = call <8 x float> @llvm.fmuladd.v8f32(<8 x float> %60, <8 x float> splat (float 0x3FEFFFFDE0000000), <8 x float> splat (float 0x3E7AD7F2A0000000))
  %67 = call <8 x float> @llvm.fmuladd.v8f32(<8 x float> %59, <8 x float> splat (float 0x3FEFFFFDE0000000), <8 x float> splat (float 0x3E7AD7F2A0000000))
  %68 = call <8 x float> @llvm.fmuladd.v8f32(<8 x float> %58, <8 x float> splat (float 0x3FEFFFFDE0000000), <8 x float> splat (float 0x3E7AD7F2A0000000))
  %69 = call <8 x float> @llvm.fmuladd.v8f32(<8 x float> %57, <8 x float> splat (float 0x3FEFFFFDE0000000), <8 x float> splat (float 0x3E7AD7F2A0000000))
  %70 = call <8 x float> @llvm.fmuladd.v8f32(<8 x float> %56, <8 x float> splat (float 0x3FEFFFFDE0000000), <8 x float> splat (float 0x3E7AD7F2A0000000))
  %71 = call <8 x float> @llvm.fmuladd.v8f32(<8 x float> %55, <8 x float> splat (float 0x3FEFFFFDE0000000), <8 x float> splat (float 0x3E7AD7F2A0000000))
  %72 = call <8 x float> @llvm.fmuladd.v8f32(<8 x float> %54, <8 x float> splat (float 0x3FEFFFFDE0000000), <8 x float> splat (float 0x3E7AD7F2A0000000))
  %73 = call <8 x float> @llvm.fmuladd.v8f32(<8 x float> %53, <8 x float> splat (float 0x3FEFFFFDE0000000), <8 x float> splat (float 0x3E7AD7F2A0000000))
  %74 = call <8 x float> @llvm.fmuladd.v8f32(<8 x float> %52, <8 x float> splat (float 0x3FEFFFFDE0000000), <8 x float> splat (float 0x3E7AD7F2A0000000))
  %75 = call <8 x float> @llvm.fmuladd.v8f32(<8 x float> %51, <8 x float> splat (float 0x3FEFFFFDE0000000), <8 x float> splat (float 0x3E7AD7F2A0000000))
  %76 = add nuw nsw i32 %63, 1
  %77 = icmp eq i32 %76, 16384
  br i1 %77, label %78, label %50, !llvm.loop !115

78:                                               ; preds = %50
  %79 = fadd <8 x float> %65, %64
  %80 = fadd <8 x float> %66, %79
  %81 = fadd <8 x float> %67, %80
  %82 = fadd <8 x float> %68, %81
  %83 = fadd <8 x float> %69, %82
  %84 = fadd <8 x float> %70, %83
  %85 = fadd <8 x float> %71, %84
  %86 = fadd <8 x float> %72, %85
  %87 = fadd <8 x float> %73, %86
  %88 = fadd <8 x float> %74, %87
  %89 = fadd <8 x float> %75, %88
  %90 = load float, ptr %44, align 4, !tbaa !117
  %91 = extractelement <8 x float> %89, i64 0
  %92 = fadd float %91, %90
  %93 = extractelement <8 x float> %89, i64 1
  %94 = fadd float %93, %92
  %95 = extractelement <8 x float> %89, i64 2
  %96 = fadd float %95, %94
  %97 = extractelement <8 x float> %89, i64 3
  %98 = fadd float %97, %96
  %99 = extractelement <8 x float> %89, i64 4
  %100 = fadd float %99, %98
  %101 = extractelement <8 x float> %89, i64 5
  %102 = fadd float %101, %100
  %103 = extractelement <8 x float> %89, i64 6
  %104 = fadd float %103, %102
  %105 = extractelement <8 x float> %89, i64 7
  %106 = fadd float %105, %104
  store float %106, ptr %44, align 4, !tbaa !117
  br label %107

107:                                              ; preds = %47, %78
  %108 = phi double [ 0x4148000000000000, %78 ], [ -1.000000e+00, %47 ]
  %109 = load double, ptr %45, align 8, !tbaa !119
  %110 = fadd double %108, %109
  store double %110, ptr %45, align 8, !tbaa !119
  call void @llvm.lifetime.start.p0(ptr nonnull %2) #18
  %111 = call i32 @clock_gettime(i32 noundef 1, ptr noundef nonnull %2) #18
  %112 = load i64, ptr %2, align 8, !tbaa !20
  %113 = mul nsw i64 %112, 1000000000
  %114 = load i64, ptr %46, align 8, !tbaa !22
  %115 = add nsw i64 %113, %114
  call void @llvm.lifetime.end.p0(ptr nonnull %2) #18
  %116 = icmp slt i64 %115, %43
  br i1 %116, label %47, label %117, !llvm.loop !127

117:                                              ; preds = %107
  %118 = sub nsw i64 %115, %38
  %119 = sitofp i64 %118 to double
  %120 = fmul double %119, 1.000000e-09
  %121 = getelementptr inbounds nuw i8, ptr %0, i64 32
  store double %120, ptr %121, align 8, !tbaa !121
  ret ptr null
}

; Function Attrs: nounwind
declare ptr @pthread_getspecific(i32 noundef) local_unnamed_addr #5

; Function Attrs: nounwind
declare i32 @sched_yield() local_unnamed_addr #5

; Function Attrs: nounwind
declare void @llvm.x86.sse2.pause() #18

; Function Attrs: nounwind
declare ptr @mmap(ptr noundef, i64 noundef, i32 noundef, i32 noundef, i32 noundef, i64 noundef) local_unnamed_addr #5

; Function Attrs: nounwind
declare i32 @madvise(ptr noundef, i64 noundef, i32 noundef) local_unnamed_addr #5

; Function Attrs: nounwind
declare i32 @munmap(ptr noundef, i64 noundef) local_unnamed_addr #5

; Function Attrs: nofree nounwind
declare i32 @posix_memalign(ptr noundef, i64 noundef, i64 noundef) local_unnamed_addr #6

; Function Attrs: nounwind uwtable
define internal fastcc void @run_job(ptr noundef %0, i64 noundef %1) unnamed_addr #0 {
  %3 = alloca %struct.thread_state, align 8
  %4 = getelementptr inbounds nuw i8, ptr %0, i64 208
  %5 = getelementptr inbounds nuw i8, ptr %0, i64 64
  %6 = load i32, ptr %5, align 8, !tbaa !39
  %7 = sext i32 %6 to i64
  call void @llvm.lifetime.start.p0(ptr nonnull %3) #18
  %8 = getelementptr inbounds nuw i8, ptr %3, i64 8
  call void @llvm.memset.p0.i64(ptr noundef nonnull align 8 dereferenceable(48) %8, i8 0, i64 48, i1 false)
  %9 = getelementptr inbounds nuw i8, ptr %0, i64 176
  store ptr %9, ptr %3, align 8, !tbaa !8
  %10 = getelementptr inbounds nuw i8, ptr %0, i64 312
  %11 = load ptr, ptr %10, align 8, !tbaa !36
  %12 = icmp eq ptr %11, null
  br i1 %12, label %29, label %13

13:                                               ; preds = %2
  %14 = getelementptr inbounds nuw i8, ptr %3, i64 8
  %15 = getelementptr inbounds nuw i8, ptr %0, i64 320
  %16 = load i64, ptr %15, align 8, !tbaa !37
  %17 = mul nsw i64 %16, %1
  %18 = getelementptr inbounds %struct.ck_prof_record, ptr %11, i64 %17
  %19 = getelementptr inbounds nuw i8, ptr %0, i64 328
  %20 = load ptr, ptr %19, align 8, !tbaa !38
  %21 = getelementptr i64, ptr %20, i64 %1
  %22 = getelementptr i64, ptr %21, i64 %7
  %23 = getelementptr inbounds nuw i8, ptr %0, i64 336
  %24 = load i64, ptr %23, align 8, !tbaa !29
  store ptr %18, ptr %14, align 8, !tbaa !128
  %25 = getelementptr inbounds nuw i8, ptr %3, i64 16
  store i64 %16, ptr %25, align 8, !tbaa !26
  %26 = getelementptr inbounds nuw i8, ptr %3, i64 24
  store ptr %21, ptr %26, align 8, !tbaa !107
  %27 = getelementptr inbounds nuw i8, ptr %3, i64 32
  store ptr %22, ptr %27, align 8, !tbaa !107
  %28 = getelementptr inbounds nuw i8, ptr %3, i64 40
  store i64 %24, ptr %28, align 8, !tbaa !26
  br label %29

29:                                               ; preds = %13, %2
  %30 = load i32, ptr @state_key, align 4, !tbaa !4
  %31 = call i32 @pthread_setspecific(i32 noundef %30, ptr noundef nonnull %3) #18
  %32 = getelementptr inbounds nuw i8, ptr %0, i64 8
  %33 = load i64, ptr %32, align 8, !tbaa !129
  %34 = getelementptr inbounds nuw i8, ptr %0, i64 272
  %35 = load i64, ptr %34, align 8, !tbaa !130
  %36 = icmp sgt i64 %35, 0
  br i1 %36, label %37, label %56

37:                                               ; preds = %29
  %38 = getelementptr inbounds nuw i8, ptr %0, i64 80
  %39 = load ptr, ptr %38, align 8, !tbaa !53
  %40 = getelementptr inbounds nuw i8, ptr %0, i64 128
  %41 = load ptr, ptr %40, align 8, !tbaa !62
  %42 = getelementptr inbounds nuw i8, ptr %0, i64 136
  %43 = load ptr, ptr %42, align 8, !tbaa !63
  %44 = getelementptr inbounds nuw i8, ptr %0, i64 144
  %45 = load ptr, ptr %44, align 8, !tbaa !64
  %46 = getelementptr inbounds nuw i8, ptr %0, i64 280
  %47 = load float, ptr %46, align 8, !tbaa !117
  %48 = getelementptr inbounds nuw i8, ptr %0, i64 284
  %49 = load float, ptr %48, align 4, !tbaa !117
  %50 = getelementptr inbounds nuw i8, ptr %0, i64 288
  %51 = load float, ptr %50, align 8, !tbaa !117
  %52 = getelementptr inbounds nuw i8, ptr %0, i64 292
  %53 = load float, ptr %52, align 4, !tbaa !117
  %54 = getelementptr inbounds nuw i8, ptr %0, i64 296
  %55 = load float, ptr %54, align 8, !tbaa !117
  call void @ck_adamw_step(ptr noundef %39, i64 noundef %33, ptr noundef %41, i64 noundef %33, ptr noundef %43, i64 noundef %33, ptr noundef %45, i64 noundef %33, i64 noundef %35, float noundef %47, float noundef %49, float noundef %51, float noundef %53, float noundef %55, i64 noundef %1, i64 noundef %7) #18
  br label %133

56:                                               ; preds = %29
  %57 = getelementptr inbounds nuw i8, ptr %0, i64 224
  %58 = load ptr, ptr %57, align 8, !tbaa !131
  %59 = icmp eq ptr %58, null
  br i1 %59, label %74, label %60

60:                                               ; preds = %56
  %61 = load ptr, ptr %4, align 8, !tbaa !132
  %62 = getelementptr inbounds nuw i8, ptr %0, i64 216
  %63 = load ptr, ptr %62, align 8, !tbaa !133
  %64 = getelementptr inbounds nuw i8, ptr %0, i64 248
  %65 = load ptr, ptr %64, align 8, !tbaa !134
  %66 = getelementptr inbounds nuw i8, ptr %0, i64 104
  %67 = load ptr, ptr %66, align 8, !tbaa !57
  %68 = getelementptr inbounds nuw i8, ptr %0, i64 112
  %69 = load i64, ptr %68, align 8, !tbaa !56
  %70 = getelementptr inbounds nuw i8, ptr %0, i64 80
  %71 = load ptr, ptr %70, align 8, !tbaa !53
  %72 = getelementptr inbounds nuw i8, ptr %0, i64 128
  %73 = load ptr, ptr %72, align 8, !tbaa !62
  call void @ck_train_step(ptr noundef %61, ptr noundef %63, ptr noundef nonnull %58, ptr noundef %65, ptr noundef %67, i64 noundef %69, ptr noundef %71, i64 noundef %33, ptr noundef %73, i64 noundef %33, i64 noundef %1, i64 noundef %7) #18
  br label %133

74:                                               ; preds = %56
  %75 = getelementptr inbounds nuw i8, ptr %0, i64 232
  %76 = load ptr, ptr %75, align 8, !tbaa !135
  %77 = icmp eq ptr %76, null
  br i1 %77, label %96, label %78

78:                                               ; preds = %74
  %79 = load ptr, ptr %4, align 8, !tbaa !132
  %80 = getelementptr inbounds nuw i8, ptr %0, i64 256
  %81 = load i64, ptr %80, align 8, !tbaa !136
  %82 = getelementptr inbounds nuw i8, ptr %0, i64 216
  %83 = load ptr, ptr %82, align 8, !tbaa !133
  %84 = getelementptr inbounds nuw i8, ptr %0, i64 248
  %85 = load ptr, ptr %84, align 8, !tbaa !134
  %86 = getelementptr inbounds nuw i8, ptr %0, i64 104
  %87 = load ptr, ptr %86, align 8, !tbaa !57
  %88 = getelementptr inbounds nuw i8, ptr %0, i64 112
  %89 = load i64, ptr %88, align 8, !tbaa !56
  %90 = getelementptr inbounds nuw i8, ptr %0, i64 80
  %91 = load ptr, ptr %90, align 8, !tbaa !53
  %92 = getelementptr inbounds nuw i8, ptr %0, i64 120
  %93 = load ptr, ptr %92, align 8, !tbaa !59
  %94 = getelementptr inbounds nuw i8, ptr %0, i64 32
  %95 = load i64, ptr %94, align 8, !tbaa !137
  call void @ck_decode_batch(ptr noundef %79, i64 noundef %81, ptr noundef %83, i64 noundef %81, ptr noundef nonnull %76, i64 noundef %81, ptr noundef %85, i64 noundef %81, ptr noundef %87, i64 noundef %89, ptr noundef %91, i64 noundef %33, ptr noundef %93, i64 noundef %95, i64 noundef %1, i64 noundef %7) #18
  br label %133

96:                                               ; preds = %74
  %97 = getelementptr inbounds nuw i8, ptr %0, i64 256
  %98 = load i64, ptr %97, align 8, !tbaa !136
  %99 = icmp eq i64 %98, 1
  %100 = load ptr, ptr %4, align 8, !tbaa !132
  %101 = getelementptr inbounds nuw i8, ptr %0, i64 216
  %102 = load ptr, ptr %101, align 8, !tbaa !133
  %103 = getelementptr inbounds nuw i8, ptr %0, i64 248
  %104 = load ptr, ptr %103, align 8, !tbaa !134
  br i1 %99, label %105, label %118

105:                                              ; preds = %96
  %106 = getelementptr inbounds nuw i8, ptr %0, i64 104
  %107 = load ptr, ptr %106, align 8, !tbaa !57
  %108 = getelementptr inbounds nuw i8, ptr %0, i64 112
  %109 = load i64, ptr %108, align 8, !tbaa !56
  %110 = getelementptr inbounds nuw i8, ptr %0, i64 80
  %111 = load ptr, ptr %110, align 8, !tbaa !53
  %112 = getelementptr inbounds nuw i8, ptr %0, i64 120
  %113 = load ptr, ptr %112, align 8, !tbaa !59
  %114 = getelementptr inbounds nuw i8, ptr %0, i64 32
  %115 = load i64, ptr %114, align 8, !tbaa !137
  %116 = getelementptr inbounds nuw i8, ptr %0, i64 240
  %117 = load i64, ptr %116, align 8, !tbaa !138
  call void @ck_decode(ptr noundef %100, ptr noundef %102, ptr noundef %104, ptr noundef %107, i64 noundef %109, ptr noundef %111, i64 noundef %33, ptr noundef %113, i64 noundef %115, i64 noundef %117, i64 noundef %1, i64 noundef %7) #18
  br label %133

118:                                              ; preds = %96
  %119 = getelementptr inbounds nuw i8, ptr %0, i64 264
  %120 = load i64, ptr %119, align 8, !tbaa !139
  %121 = getelementptr inbounds nuw i8, ptr %0, i64 104
  %122 = load ptr, ptr %121, align 8, !tbaa !57
  %123 = getelementptr inbounds nuw i8, ptr %0, i64 112
  %124 = load i64, ptr %123, align 8, !tbaa !56
  %125 = getelementptr inbounds nuw i8, ptr %0, i64 80
  %126 = load ptr, ptr %125, align 8, !tbaa !53
  %127 = getelementptr inbounds nuw i8, ptr %0, i64 120
  %128 = load ptr, ptr %127, align 8, !tbaa !59
  %129 = getelementptr inbounds nuw i8, ptr %0, i64 32
  %130 = load i64, ptr %129, align 8, !tbaa !137
  %131 = getelementptr inbounds nuw i8, ptr %0, i64 240
  %132 = load i64, ptr %131, align 8, !tbaa !138
  call void @ck_prefill(ptr noundef %100, i64 noundef %98, ptr noundef %102, i64 noundef %98, ptr noundef %104, i64 noundef %120, ptr noundef %122, i64 noundef %124, ptr noundef %126, i64 noundef %33, ptr noundef %128, i64 noundef %130, i64 noundef %132, i64 noundef %1, i64 noundef %7) #18
  br label %133

133:                                              ; preds = %60, %105, %118, %78, %37
  %134 = load i32, ptr @state_key, align 4, !tbaa !4
  %135 = call i32 @pthread_setspecific(i32 noundef %134, ptr noundef null) #18
  call void @llvm.lifetime.end.p0(ptr nonnull %3) #18
  ret void
}

; Function Attrs: nounwind
declare i32 @pthread_setspecific(i32 noundef, ptr noundef) local_unnamed_addr #5

; Function Attrs: nounwind
declare i32 @pthread_mutex_lock(ptr noundef) local_unnamed_addr #5

; Function Attrs: nounwind
declare i32 @pthread_key_create(ptr noundef, ptr noundef) local_unnamed_addr #5

; Function Attrs: nounwind
declare i32 @pthread_mutex_unlock(ptr noundef) local_unnamed_addr #5

; Function Attrs: nounwind
declare i64 @syscall(i64 noundef, ...) local_unnamed_addr #5

; Function Attrs: nounwind
declare i32 @pthread_key_delete(i32 noundef) local_unnamed_addr #5

; Function Attrs: nounwind uwtable
define internal noalias noundef ptr @probe_read(ptr noundef captures(none) %0) #0 {
  %2 = alloca %struct.timespec, align 8
  %3 = alloca %struct.timespec, align 8
  %4 = getelementptr inbounds nuw i8, ptr %0, i64 8
  %5 = load i64, ptr %4, align 8, !tbaa !140
  %6 = getelementptr inbounds nuw i8, ptr %0, i64 16
  %7 = load i32, ptr %6, align 8, !tbaa !141
  %8 = sext i32 %7 to i64
  %9 = udiv i64 %5, %8
  %10 = getelementptr inbounds nuw i8, ptr %0, i64 32
  %11 = load ptr, ptr %10, align 8, !tbaa !142
  %12 = getelementptr inbounds nuw i8, ptr %11, i64 8
  %13 = load i32, ptr %12, align 4, !tbaa !16
  %14 = icmp slt i32 %13, 2
  br i1 %14, label %38, label %15

15:                                               ; preds = %1
  %16 = getelementptr inbounds nuw i8, ptr %11, i64 4
  %17 = load atomic i32, ptr %16 monotonic, align 4
  %18 = atomicrmw add ptr %11, i32 1 acq_rel, align 4
  %19 = load i32, ptr %12, align 4, !tbaa !16
  %20 = add nsw i32 %19, -1
  %21 = icmp eq i32 %18, %20
  br i1 %21, label %25, label %22

22:                                               ; preds = %15
  %23 = load atomic i32, ptr %16 acquire, align 4
  %24 = icmp eq i32 %23, %17
  br i1 %24, label %28, label %38

25:                                               ; preds = %15
  store atomic i32 0, ptr %11 monotonic, align 4
  %26 = icmp eq i32 %17, 0
  %27 = zext i1 %26 to i32
  store atomic i32 %27, ptr %16 release, align 4
  br label %38

28:                                               ; preds = %22, %34
  %29 = phi i32 [ %35, %34 ], [ 0, %22 ]
  %30 = icmp samesign ult i32 %29, 4096
  br i1 %30, label %31, label %32

31:                                               ; preds = %28
  tail call void @llvm.x86.sse2.pause()
  br label %34

32:                                               ; preds = %28
  %33 = tail call i32 @sched_yield() #18
  br label %34

34:                                               ; preds = %32, %31
  %35 = add nuw nsw i32 %29, 1
  %36 = load atomic i32, ptr %16 acquire, align 4
  %37 = icmp eq i32 %36, %17
  br i1 %37, label %28, label %38, !llvm.loop !18

38:                                               ; preds = %34, %1, %22, %25
  call void @llvm.lifetime.start.p0(ptr nonnull %3) #18
  %39 = call i32 @clock_gettime(i32 noundef 1, ptr noundef nonnull %3) #18
  %40 = load i64, ptr %3, align 8, !tbaa !20
  %41 = getelementptr inbounds nuw i8, ptr %3, i64 8
  %42 = load i64, ptr %41, align 8, !tbaa !22
  call void @llvm.lifetime.end.p0(ptr nonnull %3) #18
  %43 = load i32, ptr %6, align 8, !tbaa !141
  %44 = icmp eq i32 %43, 1
  %45 = load ptr, ptr %0, align 8, !tbaa !143
  br i1 %44, label %46, label %69

46:                                               ; preds = %38
  %47 = icmp ult i64 %9, 32
  br i1 %47, label %94, label %48

48:                                               ; preds = %46, %48
  %49 = phi i64 [ %67, %48 ], [ 32, %46 ]
  %50 = phi <8 x i64> [ %57, %48 ], [ zeroinitializer, %46 ]
  %51 = phi <8 x i64> [ %60, %48 ], [ zeroinitializer, %46 ]
  %52 = phi <8 x i64> [ %63, %48 ], [ zeroinitializer, %46 ]
  %53 = phi <8 x i64> [ %66, %48 ], [ zeroinitializer, %46 ]
  %54 = phi i64 [ %49, %48 ], [ 0, %46 ]
  %55 = getelementptr inbounds nuw i64, ptr %45, i64 %54
  %56 = load <8 x i64>, ptr %55, align 8, !tbaa !98
  %57 = add <8 x i64> %56, %50
  %58 = getelementptr inbounds nuw i8, ptr %55, i64 64
  %59 = load <8 x i64>, ptr %58, align 8, !tbaa !98
  %60 = add <8 x i64> %59, %51
  %61 = getelementptr inbounds nuw i8, ptr %55, i64 128
  %62 = load <8 x i64>, ptr %61, align 8, !tbaa !98
  %63 = add <8 x i64> %62, %52
  %64 = getelementptr inbounds nuw i8, ptr %55, i64 192
  %65 = load <8 x i64>, ptr %64, align 8, !tbaa !98
  %66 = add <8 x i64> %65, %53
  %67 = add i64 %49, 32
  %68 = icmp ugt i64 %67, %9
  br i1 %68, label %94, label %48, !llvm.loop !144

69:                                               ; preds = %38
  %70 = getelementptr inbounds nuw i64, ptr %45, i64 %9
  %71 = getelementptr inbounds nuw i64, ptr %70, i64 %9
  %72 = getelementptr inbounds nuw i64, ptr %71, i64 %9
  %73 = icmp ult i64 %5, %8
  br i1 %73, label %94, label %74

74:                                               ; preds = %69, %74
  %75 = phi <8 x i64> [ %82, %74 ], [ zeroinitializer, %69 ]
  %76 = phi i64 [ %92, %74 ], [ 0, %69 ]
  %77 = phi <8 x i64> [ %85, %74 ], [ zeroinitializer, %69 ]
  %78 = phi <8 x i64> [ %88, %74 ], [ zeroinitializer, %69 ]
  %79 = phi <8 x i64> [ %91, %74 ], [ zeroinitializer, %69 ]
  %80 = getelementptr inbounds nuw i64, ptr %45, i64 %76
  %81 = load <8 x i64>, ptr %80, align 8, !tbaa !98
  %82 = add <8 x i64> %81, %75
  %83 = getelementptr inbounds nuw i64, ptr %70, i64 %76
  %84 = load <8 x i64>, ptr %83, align 8, !tbaa !98
  %85 = add <8 x i64> %84, %77
  %86 = getelementptr inbounds nuw i64, ptr %71, i64 %76
  %87 = load <8 x i64>, ptr %86, align 8, !tbaa !98
  %88 = add <8 x i64> %87, %78
  %89 = getelementptr inbounds nuw i64, ptr %72, i64 %76
  %90 = load <8 x i64>, ptr %89, align 8, !tbaa !98
  %91 = add <8 x i64> %90, %79
  %92 = add nuw i64 %76, 8
  %93 = icmp ult i64 %92, %9
  br i1 %93, label %74, label %94, !llvm.loop !145

94:                                               ; preds = %74, %48, %69, %46
  %95 = phi <8 x i64> [ %66, %48 ], [ zeroinitializer, %46 ], [ zeroinitializer, %69 ], [ %91, %74 ]
  %96 = phi <8 x i64> [ %63, %48 ], [ zeroinitializer, %46 ], [ zeroinitializer, %69 ], [ %88, %74 ]
  %97 = phi <8 x i64> [ %60, %48 ], [ zeroinitializer, %46 ], [ zeroinitializer, %69 ], [ %85, %74 ]
  %98 = phi <8 x i64> [ %57, %48 ], [ zeroinitializer, %46 ], [ zeroinitializer, %69 ], [ %82, %74 ]
  call void @llvm.lifetime.start.p0(ptr nonnull %2) #18
  %99 = call i32 @clock_gettime(i32 noundef 1, ptr noundef nonnull %2) #18
  %100 = load i64, ptr %2, align 8, !tbaa !20
  %101 = getelementptr inbounds nuw i8, ptr %2, i64 8
  %102 = load i64, ptr %101, align 8, !tbaa !22
  call void @llvm.lifetime.end.p0(ptr nonnull %2) #18
  %103 = sub i64 %100, %40
  %104 = mul i64 %103, 1000000000
  %105 = sub i64 %102, %42
  %106 = add i64 %105, %104
  %107 = sitofp i64 %106 to double
  %108 = fmul double %107, 1.000000e-09
  %109 = getelementptr inbounds nuw i8, ptr %0, i64 40
  store double %108, ptr %109, align 8, !tbaa !113
  %110 = xor <8 x i64> %96, %95
  %111 = xor <8 x i64> %110, %97
  %112 = xor <8 x i64> %111, %98
  %113 = extractelement <8 x i64> %112, i64 0
  %114 = extractelement <8 x i64> %112, i64 1
  %115 = xor i64 %114, %113
  %116 = extractelement <8 x i64> %112, i64 2
  %117 = xor i64 %116, %115
  %118 = extractelement <8 x i64> %112, i64 3
  %119 = xor i64 %118, %117
  %120 = extractelement <8 x i64> %112, i64 4
  %121 = xor i64 %120, %119
  %122 = extractelement <8 x i64> %112, i64 5
  %123 = xor i64 %122, %121
  %124 = extractelement <8 x i64> %112, i64 6
  %125 = xor i64 %124, %123
  %126 = extractelement <8 x i64> %112, i64 7
  %127 = xor i64 %126, %125
  %128 = getelementptr inbounds nuw i8, ptr %0, i64 24
  store i64 %127, ptr %128, align 8, !tbaa !111
  ret ptr null
}

; Function Attrs: nofree
declare void @qsort(ptr noundef, i64 noundef, i64 noundef, ptr noundef captures(none)) local_unnamed_addr #9

; Function Attrs: mustprogress nofree norecurse nosync nounwind willreturn memory(argmem: read) uwtable
define internal range(i32 -1, 2) i32 @compare_doubles(ptr noundef readonly captures(none) %0, ptr noundef readonly captures(none) %1) #14 {
  %3 = load double, ptr %0, align 8, !tbaa !105
  %4 = load double, ptr %1, align 8, !tbaa !105
  %5 = fcmp ogt double %3, %4
  %6 = zext i1 %5 to i32
  %7 = fcmp olt double %3, %4
  %8 = sext i1 %7 to i32
  %9 = add nsw i32 %8, %6
  ret i32 %9
}

; Function Attrs: mustprogress nocallback nocreateundeforpoison nofree nosync nounwind speculatable willreturn memory(none)
declare <8 x float> @llvm.fmuladd.v8f32(<8 x float>, <8 x float>, <8 x float>) #19

; Function Attrs: nocallback nocreateundeforpoison nofree nosync nounwind speculatable willreturn memory(none)
declare i64 @llvm.smin.i64(i64, i64) #20

; Function Attrs: nocallback nocreateundeforpoison nofree nosync nounwind speculatable willreturn memory(none)
declare i64 @llvm.smax.i64(i64, i64) #20

; Function Attrs: nocallback nofree nosync nounwind willreturn memory(inaccessiblemem: write)
declare void @llvm.assume(i1 noundef) #21

attributes #0 = { nounwind uwtable "min-legal-vector-width"="0" "no-trapping-math"="true" "stack-protector-buffer-size"="8" }
attributes #1 = { mustprogress nocallback nofree nosync nounwind willreturn memory(argmem: readwrite) }
attributes #2 = { mustprogress nocallback nofree nounwind willreturn memory(argmem: readwrite) }
attributes #3 = { mustprogress nofree norecurse nosync nounwind willreturn memory(argmem: readwrite) uwtable "min-legal-vector-width"="0" "no-trapping-math"="true" "stack-protector-buffer-size"="8" }
attributes #4 = { mustprogress nocallback nofree nounwind willreturn memory(argmem: write) }
attributes #5 = { nounwind "no-trapping-math"="true" "stack-protector-buffer-size"="8" }
attributes #6 = { nofree nounwind "no-trapping-math"="true" "stack-protector-buffer-size"="8" }
attributes #7 = { "no-trapping-math"="true" "stack-protector-buffer-size"="8" }
attributes #8 = { mustprogress nofree nounwind willreturn allockind("alloc,zeroed") allocsize(0,1) memory(inaccessiblemem: readwrite) "alloc-family"="malloc" "no-trapping-math"="true" "stack-protector-buffer-size"="8" }
attributes #9 = { nofree "no-trapping-math"="true" "stack-protector-buffer-size"="8" }
attributes #10 = { mustprogress nofree nosync nounwind willreturn memory(none) "no-trapping-math"="true" "stack-protector-buffer-size"="8" }
attributes #11 = { mustprogress nounwind willreturn allockind("free") memory(argmem: readwrite, inaccessiblemem: readwrite) "alloc-family"="malloc" "no-trapping-math"="true" "stack-protector-buffer-size"="8" }
attributes #12 = { nofree nounwind uwtable "min-legal-vector-width"="0" "no-trapping-math"="true" "stack-protector-buffer-size"="8" }
attributes #13 = { mustprogress nofree nounwind willreturn allockind("alloc,uninitialized") allocsize(0) memory(inaccessiblemem: readwrite) "alloc-family"="malloc" "no-trapping-math"="true" "stack-protector-buffer-size"="8" }
attributes #14 = { mustprogress nofree norecurse nosync nounwind willreturn memory(argmem: read) uwtable "min-legal-vector-width"="0" "no-trapping-math"="true" "stack-protector-buffer-size"="8" }
attributes #15 = { mustprogress nofree norecurse nosync nounwind willreturn memory(write, argmem: readwrite, inaccessiblemem: none, target_mem0: none, target_mem1: none) uwtable "min-legal-vector-width"="0" "no-trapping-math"="true" "stack-protector-buffer-size"="8" }
attributes #16 = { mustprogress nofree norecurse nosync nounwind willreturn memory(readwrite, inaccessiblemem: none, target_mem0: none, target_mem1: none) uwtable "min-legal-vector-width"="0" "no-trapping-math"="true" "stack-protector-buffer-size"="8" }
attributes #17 = { mustprogress nofree norecurse nosync nounwind willreturn memory(read, inaccessiblemem: none, target_mem0: none, target_mem1: none) uwtable "min-legal-vector-width"="0" "no-trapping-math"="true" "stack-protector-buffer-size"="8" }
attributes #18 = { nounwind }
attributes #19 = { mustprogress nocallback nocreateundeforpoison nofree nosync nounwind speculatable willreturn memory(none) }
attributes #20 = { nocallback nocreateundeforpoison nofree nosync nounwind speculatable willreturn memory(none) }
attributes #21 = { nocallback nofree nosync nounwind willreturn memory(inaccessiblemem: write) }
attributes #22 = { nounwind allocsize(0,1) }
attributes #23 = { nounwind willreturn memory(none) }
attributes #24 = { nounwind allocsize(0) }

!llvm.module.flags = !{!0, !1, !2, !3}
!llvm.errno.tbaa = !{!4}

!0 = !{i32 1, !"wchar_size", i32 4}
!1 = !{i32 8, !"PIC Level", i32 2}
!2 = !{i32 7, !"PIE Level", i32 2}
!3 = !{i32 7, !"uwtable", i32 2}
!4 = !{!5, !5, i64 0}
!5 = !{!"int", !6, i64 0}
!6 = !{!"omnipotent char", !7, i64 0}
!7 = !{!"Simple C/C++ TBAA"}
!8 = !{!9, !10, i64 0}
!9 = !{!"thread_state", !10, i64 0, !12, i64 8}
!10 = !{!"p1 _ZTS16ck_barrier_state", !11, i64 0}
!11 = !{!"any pointer", !6, i64 0}
!12 = !{!"prof_log", !13, i64 0, !14, i64 8, !15, i64 16, !15, i64 24, !14, i64 32, !14, i64 40}
!13 = !{!"p1 _ZTS14ck_prof_record", !11, i64 0}
!14 = !{!"long", !6, i64 0}
!15 = !{!"p1 long", !11, i64 0}
!16 = !{!17, !5, i64 8}
!17 = !{!"ck_barrier_state", !6, i64 0, !6, i64 4, !5, i64 8, !6, i64 12}
!18 = distinct !{!18, !19}
!19 = !{!"llvm.loop.mustprogress"}
!20 = !{!21, !14, i64 0}
!21 = !{!"timespec", !14, i64 0, !14, i64 8}
!22 = !{!21, !14, i64 8}
!23 = !{!9, !14, i64 48}
!24 = !{!9, !13, i64 8}
!25 = !{!12, !15, i64 16}
!26 = !{!14, !14, i64 0}
!27 = !{!12, !14, i64 8}
!28 = !{!12, !15, i64 24}
!29 = !{!30, !14, i64 336}
!30 = !{!"ck_session", !31, i64 0, !32, i64 80, !14, i64 88, !14, i64 96, !32, i64 104, !14, i64 112, !32, i64 120, !32, i64 128, !32, i64 136, !32, i64 144, !33, i64 152, !15, i64 160, !15, i64 168, !17, i64 176, !17, i64 192, !34, i64 208, !6, i64 304, !13, i64 312, !14, i64 320, !15, i64 328, !14, i64 336, !5, i64 344}
!31 = !{!"ck_config", !32, i64 0, !14, i64 8, !14, i64 16, !14, i64 24, !14, i64 32, !14, i64 40, !14, i64 48, !14, i64 56, !5, i64 64, !5, i64 68, !14, i64 72}
!32 = !{!"p1 omnipotent char", !11, i64 0}
!33 = !{!"p1 int", !11, i64 0}
!34 = !{!"ck_job", !33, i64 0, !33, i64 8, !33, i64 16, !33, i64 24, !14, i64 32, !35, i64 40, !14, i64 48, !14, i64 56, !14, i64 64, !6, i64 72}
!35 = !{!"p1 float", !11, i64 0}
!36 = !{!30, !13, i64 312}
!37 = !{!30, !14, i64 320}
!38 = !{!30, !15, i64 328}
!39 = !{!30, !5, i64 64}
!40 = !{!31, !5, i64 64}
!41 = !{!31, !14, i64 40}
!42 = !{!31, !14, i64 48}
!43 = !{!31, !14, i64 72}
!44 = !{!31, !5, i64 68}
!45 = !{i64 0, i64 8, !46, i64 8, i64 8, !26, i64 16, i64 8, !26, i64 24, i64 8, !26, i64 32, i64 8, !26, i64 40, i64 8, !26, i64 48, i64 8, !26, i64 56, i64 8, !26, i64 64, i64 4, !4, i64 68, i64 4, !4, i64 72, i64 8, !26}
!46 = !{!32, !32, i64 0}
!47 = !{!31, !32, i64 0}
!48 = !{!49, !14, i64 48}
!49 = !{!"stat", !14, i64 0, !14, i64 8, !14, i64 16, !5, i64 24, !5, i64 28, !5, i64 32, !5, i64 36, !14, i64 40, !14, i64 48, !14, i64 56, !14, i64 64, !21, i64 72, !21, i64 88, !21, i64 104, !6, i64 120}
!50 = !{!31, !14, i64 8}
!51 = distinct !{!51, !19}
!52 = !{!30, !14, i64 88}
!53 = !{!30, !32, i64 80}
!54 = !{!31, !14, i64 16}
!55 = !{!31, !14, i64 24}
!56 = !{!30, !14, i64 112}
!57 = !{!30, !32, i64 104}
!58 = !{!31, !14, i64 32}
!59 = !{!30, !32, i64 120}
!60 = !{!30, !33, i64 152}
!61 = !{!30, !15, i64 160}
!62 = !{!30, !32, i64 128}
!63 = !{!30, !32, i64 136}
!64 = !{!30, !32, i64 144}
!65 = !{!30, !5, i64 184}
!66 = !{!30, !5, i64 200}
!67 = !{!30, !15, i64 168}
!68 = !{!69, !70, i64 0}
!69 = !{!"worker_arg", !70, i64 0, !14, i64 8}
!70 = !{!"p1 _ZTS10ck_session", !11, i64 0}
!71 = !{!69, !14, i64 8}
!72 = distinct !{!72, !19}
!73 = !{!30, !5, i64 344}
!74 = !{!11, !11, i64 0}
!75 = distinct !{!75, !19}
!76 = !{!30, !14, i64 96}
!77 = !{!70, !70, i64 0}
!78 = !{!30, !14, i64 72}
!79 = !{!30, !14, i64 40}
!80 = !{!30, !14, i64 48}
!81 = !{!30, !14, i64 56}
!82 = distinct !{!82, !19, !83, !84}
!83 = !{!"llvm.loop.isvectorized", i32 1}
!84 = !{!"llvm.loop.unroll.runtime.disable"}
!85 = distinct !{!85, !19, !84, !83}
!86 = !{!33, !33, i64 0}
!87 = !{!35, !35, i64 0}
!88 = distinct !{!88, !19}
!89 = distinct !{!89, !19}
!90 = distinct !{!90, !19}
!91 = distinct !{!91, !92}
!92 = !{!"llvm.loop.unroll.disable"}
!93 = distinct !{!93, !19}
!94 = distinct !{!94, !19}
!95 = distinct !{!95, !92}
!96 = !{!30, !5, i64 68}
!97 = distinct !{!97, !19}
!98 = !{!6, !6, i64 0}
!99 = distinct !{!99, !19}
!100 = distinct !{!100, !19}
!101 = distinct !{!101, !19}
!102 = !{!17, !6, i64 0}
!103 = !{!17, !6, i64 4}
!104 = !{!17, !6, i64 12}
!105 = !{!106, !106, i64 0}
!106 = !{!"double", !6, i64 0}
!107 = !{!15, !15, i64 0}
!108 = !{!10, !10, i64 0}
!109 = distinct !{!109, !19}
!110 = distinct !{!110, !19}
!111 = !{!112, !14, i64 24}
!112 = !{!"probe_arg", !15, i64 0, !14, i64 8, !5, i64 16, !14, i64 24, !10, i64 32, !106, i64 40}
!113 = !{!112, !106, i64 40}
!114 = distinct !{!114, !19}
!115 = distinct !{!115, !19}
!116 = distinct !{!116, !19}
!117 = !{!118, !118, i64 0}
!118 = !{!"float", !6, i64 0}
!119 = !{!120, !106, i64 24}
!120 = !{!"peak_arg", !5, i64 0, !106, i64 8, !10, i64 16, !106, i64 24, !106, i64 32, !118, i64 40}
!121 = !{!120, !106, i64 32}
!122 = !{!120, !118, i64 40}
!123 = distinct !{!123, !19}
!124 = !{!120, !10, i64 16}
!125 = !{!120, !106, i64 8}
!126 = !{!120, !5, i64 0}
!127 = distinct !{!127, !19}
!128 = !{!13, !13, i64 0}
!129 = !{!30, !14, i64 8}
!130 = !{!34, !14, i64 64}
!131 = !{!34, !33, i64 16}
!132 = !{!34, !33, i64 0}
!133 = !{!34, !33, i64 8}
!134 = !{!34, !35, i64 40}
!135 = !{!34, !33, i64 24}
!136 = !{!34, !14, i64 48}
!137 = !{!30, !14, i64 32}
!138 = !{!34, !14, i64 32}
!139 = !{!34, !14, i64 56}
!140 = !{!112, !14, i64 8}
!141 = !{!112, !5, i64 16}
!142 = !{!112, !10, i64 32}
!143 = !{!112, !15, i64 0}
!144 = distinct !{!144, !19}
!145 = distinct !{!145, !19}
